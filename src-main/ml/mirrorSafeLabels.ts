/**
 * The mirror guard: which labels a mirrored training sample may carry, and
 * which slices must stay upright, so that the augmentation never makes the
 * strokes contradict each other (docs/eval-protocol.md, session 11).
 *
 * Fine-tuning keeps the pre-training's augmentation, mirrors included: without
 * them the Colin27 whole head collapsed on one seed of three, three times. But
 * anatomy is bilaterally symmetric, so a mirrored slice shows the left
 * hippocampus where and as the right one looks; if the strokes call the two
 * differently (a left/right pair as two segments, or a structure painted on
 * one side with background strokes on its twin) the mirrored sample asks for
 * the opposite of the unmirrored one, and neither is learnt (two discs: 1.00
 * of the worse one's pixels right without the mirror, 0.40 with it).
 *
 * The rule, decided from the strokes once per set of training slices:
 * 1. The slices' mirror line (mirrorLine.ts: where the image matches its
 *    mirror image best). Every reflection is judged by this one line: with
 *    the augmentation's turns, a mirror about the other axis is this mirror
 *    and a half turn.
 * 2. Each stroked pixel's twin is its mirror image across that line; the
 *    twin's label is that of the nearest stroked pixel within a tolerance
 *    (anatomy is symmetric only to a few per cent of the frame; strokes are
 *    sparse lines), or none.
 * 3. A structure (class >= 1) is contradicted by the mirror when more of its
 *    stroked pixels have a twin of another label than of its own. Where
 *    nothing is stroked near the twin there is no evidence, and no change.
 * 4. Two contradicted structures whose twins are mostly each other are a
 *    left/right pair: a mirrored sample swaps their labels (the mirrored left
 *    hippocampus is a right one), which agrees with the strokes.
 * 5. In a mirrored sample, a pixel is left unlabelled when its class is
 *    contradicted and unpaired, or when its twin belongs to such a class
 *    and it does not (the background strokes on the twin of a one-sided
 *    structure). Everything else keeps its label.
 * 6. Turns do the same to these structures: a half turn also puts the left
 *    hippocampus where the right one is, upside down, and with turns of any
 *    angle only its handedness tells them apart, which the network does not
 *    learn from a few strokes. So the samples of a slice with strokes of a
 *    one-sided structure or a pair stay upright (augment.ts uprightTurn);
 *    the other slices keep the whole augmentation.
 * Where every structure's strokes mirror onto its own kind (the whole brain,
 * a tissue class filling the head) nothing changes, so the mirror and the
 * turns still regularise training exactly as before.
 */
import { mirrorLine, type MirrorLine, type SliceStack } from './mirrorLine';

/** Whether the fine-tuner guards its mirrored samples unless told otherwise (FinetunerOptions.mirrorGuard). */
export const defaultMirrorGuard = true;

/** The tolerance of the twin's position, as a share of the frame's larger side (default 0.05: 3 px at 64 px). */
export const defaultTwinTolerance = 0.05;

/** What the guard decided for a set of training slices. */
export interface MirrorSafeLabels {
  /** The labels for mirrored samples ([count, height, width], -1 = unlabelled): pairs swapped, less what the mirror contradicts. */
  readonly reflected: Int32Array;
  /** Per slice, 1 where it has strokes of a one-sided structure or a pair: its samples are kept upright (augment.ts uprightTurn). */
  readonly sidedSlices: Uint8Array;
  readonly line: MirrorLine;
  /** The structures (class >= 1) the mirror contradicts and no twin pairs, ascending: unlabelled in mirrored samples. */
  readonly contradicted: readonly number[];
  /** Left/right pairs [a, b] (a < b, ascending): their labels swapped in mirrored samples. */
  readonly swapped: readonly (readonly [number, number])[];
  /** Stroked pixels left unlabelled in mirrored samples. */
  readonly dropped: number;
}

/** Labelled slices read back from FinetuneData: images [count, height, width, channels], labels [count, height, width] (-1 unlabelled). */
export interface LabelledStack extends SliceStack {
  readonly labels: Int32Array;
}

/** Per slice, the label of the nearest stroked pixel within `radius` (Chebyshev rings, then Euclidean inside a ring), -1 where none. */
function nearestStrokeLabels(labels: Int32Array, count: number, height: number, width: number, radius: number): Int32Array {
  const out = new Int32Array(labels.length).fill(-1);
  const plane = height * width;
  for (let s = 0; s < count; s += 1) {
    const base = s * plane;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        let best = -1;
        let bestD = Infinity;
        for (let dy = -radius; dy <= radius; dy += 1) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -radius; dx <= radius; dx += 1) {
            const xx = x + dx;
            if (xx < 0 || xx >= width) continue;
            const label = labels[base + yy * width + xx] ?? -1;
            const d = dx * dx + dy * dy;
            if (label >= 0 && d < bestD && d <= radius * radius) {
              bestD = d;
              best = label;
            }
          }
        }
        out[base + y * width + x] = best;
      }
    }
  }
  return out;
}

/** The flat index of pixel `i`'s mirror image across `line`, or -1 outside the slice. */
function twinIndex(i: number, line: MirrorLine, height: number, width: number): number {
  const plane = height * width;
  const s = Math.floor(i / plane);
  const rest = i - s * plane;
  const x = rest % width;
  const y = (rest - x) / width;
  const mx = line.axis === 'x' ? line.sum - x : x;
  const my = line.axis === 'y' ? line.sum - y : y;
  return mx < 0 || mx >= width || my < 0 || my >= height ? -1 : s * plane + my * width + mx;
}

/** The labels a mirrored sample of `stack` may carry (see the module's comment for the rule). */
export function mirrorSafeLabels(stack: LabelledStack, tolerance = defaultTwinTolerance): MirrorSafeLabels {
  const { labels, count, height, width } = stack;
  if (labels.length !== count * height * width) throw new Error(`mirrorSafeLabels: ${labels.length} labels do not fit ${count} slices of ${width}x${height}.`);
  if (!(tolerance >= 0)) throw new Error(`mirrorSafeLabels: the tolerance must be >= 0, got ${tolerance}.`);
  const line = mirrorLine(stack);
  const radius = Math.round(tolerance * Math.max(height, width));
  const near = nearestStrokeLabels(labels, count, height, width, radius);
  const twinLabel = (i: number): number => {
    const j = twinIndex(i, line, height, width);
    return j < 0 ? -1 : (near[j] ?? -1);
  };
  let classes = 0;
  for (const v of labels) classes = Math.max(classes, v + 1);
  // twins[c][d]: stroked pixels of class c whose twin is labelled d.
  const twins = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] ?? -1;
    const twin = label < 1 ? -1 : twinLabel(i);
    const row = twins[label];
    if (twin >= 0 && row !== undefined) row[twin] = (row[twin] ?? 0) + 1;
  }
  const contradicted = new Set<number>();
  const commonestTwin = new Array<number>(classes).fill(-1);
  for (let c = 1; c < classes; c += 1) {
    const row = twins[c] ?? [];
    const same = row[c] ?? 0;
    const other = row.reduce((sum, n) => sum + n, 0) - same;
    if (other > same) contradicted.add(c);
    commonestTwin[c] = row.reduce((best, n, d) => (d !== c && n > (row[best] ?? 0) ? d : best), 0);
  }
  const partner = new Array<number>(classes).fill(-1);
  const swapped: [number, number][] = [];
  for (const a of contradicted) {
    const b = commonestTwin[a] ?? -1;
    if (b > a && contradicted.has(b) && commonestTwin[b] === a) {
      partner[a] = b;
      partner[b] = a;
      swapped.push([a, b]);
    }
  }
  for (const [a, b] of swapped) {
    contradicted.delete(a);
    contradicted.delete(b);
  }
  const sided = (c: number): boolean => contradicted.has(c) || (partner[c] ?? -1) >= 0;
  const reflected = Int32Array.from(labels);
  const sidedSlices = new Uint8Array(count);
  const plane = height * width;
  let dropped = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const label = labels[i] ?? -1;
    if (label < 0) continue;
    const twin = contradicted.size === 0 && swapped.length === 0 ? -1 : twinLabel(i);
    if (contradicted.has(label) || (twin !== label && contradicted.has(twin))) {
      reflected[i] = -1;
      dropped += 1;
    } else if ((partner[label] ?? -1) >= 0) {
      reflected[i] = partner[label] ?? label;
    }
    if (sided(label)) sidedSlices[Math.floor(i / plane)] = 1;
  }
  return { reflected, sidedSlices, line, contradicted: [...contradicted].sort((a, b) => a - b), swapped: swapped.sort((x, y) => x[0] - y[0]), dropped };
}
