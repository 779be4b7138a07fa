/**
 * The simulated radiologist of `macl eval` (docs/eval-protocol.md): for each
 * label, K slices spread evenly over the slices that contain it; on each, one
 * thin stroke along the structure's major axis inside its eroded core, and
 * background strokes: the band just outside it, all around, and the stroke's
 * line continued through the background to the field of view's edge. Only
 * those voxels are labelled; every other voxel is -1.
 */
import { chamferDistance } from '../ml/chamferDistance';
import { principalAxis } from './sliceMorphology';

/** How strokes are drawn; the defaults are the protocol's. */
export interface ScribbleOptions {
  /** Slices scribbled per label (K). */
  readonly slicesPerLabel: number;
  /** Half the stroke's width in voxels (default 1: a 3-voxel-wide stroke). */
  readonly strokeHalfWidth?: number;
  /** Erosion of the structure before the stroke is drawn, in voxels (default 2, less when the structure is thinner). */
  readonly erosion?: number;
  /** The background band: voxels this far outside the structure (default [2, 4) voxels). */
  readonly backgroundBand?: readonly [number, number];
  /** Stroke only the flanks of the band (beside the major axis) or all around (default). */
  readonly flanksOnly?: boolean;
  /** Also stroke background along the field of view's edge, 1-2 voxels in (default false: an experiment, see docs/eval-protocol.md). */
  readonly edgeStroke?: boolean;
  /**
   * Continue the structure's stroke line into the background on both sides,
   * out to the field of view's edge, as background (default true). Without
   * it every background voxel the net sees lies next to a structure's edge.
   */
  readonly backgroundLine?: boolean;
}

/** Where one label was scribbled. */
export interface LabelScribble {
  readonly label: number;
  /** Class index in the fine-tuning labels (1..). */
  readonly classIndex: number;
  readonly slices: readonly number[];
  /** Voxels stroked inside the structure. */
  readonly structureVoxels: number;
  /** Background voxels stroked around it. */
  readonly backgroundVoxels: number;
}

/** The simulated strokes of all labels. */
export interface Scribbles {
  /** int32 per voxel: -1 unlabelled, 0 background stroke, i = stroke of labels[i - 1]. */
  readonly labels: Int32Array;
  readonly perLabel: readonly LabelScribble[];
  /** Slices that hold any stroke, ascending. */
  readonly slices: readonly number[];
}

/** The grid of a truth label map (x fastest, then y, then z). */
export interface Grid {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

/** K slice indices spread over `present` (sorted): the centres of K equal parts. */
export function spreadSlices(present: readonly number[], k: number): number[] {
  if (present.length <= k) return [...present];
  const picked = new Set<number>();
  for (let i = 0; i < k; i += 1) picked.add(present[Math.min(present.length - 1, Math.floor(((i + 0.5) * present.length) / k))] ?? 0);
  return [...picked].sort((a, b) => a - b);
}

/** Simulates strokes for `labels` on `truth`; throws when a label is absent from the truth. */
export function simulateScribbles(truth: ArrayLike<number>, grid: Grid, labels: readonly number[], options: ScribbleOptions): Scribbles {
  const { width, height, depth } = grid;
  const k = options.slicesPerLabel;
  if (!Number.isInteger(k) || k < 1) throw new Error(`simulateScribbles: the number of scribbled slices must be a positive integer, got ${k}.`);
  if (truth.length !== width * height * depth) throw new Error(`simulateScribbles: the truth has ${truth.length} voxels, the grid ${width}x${height}x${depth} needs ${width * height * depth}.`);
  const halfWidth = options.strokeHalfWidth ?? 1;
  const [bandIn, bandOut] = options.backgroundBand ?? [2, 4];
  const flanksOnly = options.flanksOnly ?? false;
  const edgeStroke = options.edgeStroke ?? false;
  const backgroundLine = options.backgroundLine ?? true;
  const plane = width * height;
  const out = new Int32Array(truth.length).fill(-1);
  const perLabel: LabelScribble[] = [];
  const allSlices = new Set<number>();

  labels.forEach((label, index) => {
    const classIndex = index + 1;
    const present: number[] = [];
    for (let z = 0; z < depth; z += 1) {
      for (let i = z * plane; i < (z + 1) * plane; i += 1) if (truth[i] === label) {
        present.push(z);
        break;
      }
    }
    if (present.length === 0) throw new Error(`simulateScribbles: label ${label} does not occur in the truth.`);
    const slices = spreadSlices(present, k);
    let structureVoxels = 0;
    let backgroundVoxels = 0;
    for (const z of slices) {
      allSlices.add(z);
      const base = z * plane;
      const member = (i: number): boolean => truth[base + i] === label;
      const inside = chamferDistance(member, width, height, true);
      const deepest = inside.reduce((m, v) => Math.max(m, v), 0);
      // Keep at least the deepest ridge: thin structures are eroded less.
      const erosion = Math.min(options.erosion ?? 2, Math.max(0, deepest - 1));
      const core = (i: number): boolean => (inside[i] ?? 0) > erosion;
      const axis = principalAxis(member, width, height);
      if (axis === null) continue;
      const outside = chamferDistance((i) => !member(i), width, height, false);
      // Distance to any structure, so the line keeps the band's gap from the other structures too.
      const fromAny = backgroundLine ? chamferDistance((i) => truth[base + i] === 0, width, height, false) : null;
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          const i = x + y * width;
          const dx = x - axis.cx;
          const dy = y - axis.cy;
          const offAxis = Math.abs(-axis.uy * dx + axis.ux * dy);
          if (core(i) && offAxis <= halfWidth) {
            out[base + i] = classIndex;
            structureVoxels += 1;
            continue;
          }
          const fromEdge = Math.min(x, y, width - 1 - x, height - 1 - y);
          if (edgeStroke && fromEdge >= 1 && fromEdge <= 2 && truth[base + i] === 0 && out[base + i] === -1) {
            out[base + i] = 0;
            backgroundVoxels += 1;
            continue;
          }
          if (fromAny !== null && offAxis <= halfWidth && (fromAny[i] ?? 0) >= bandIn && out[base + i] === -1) {
            out[base + i] = 0;
            backgroundVoxels += 1;
            continue;
          }
          const gap = outside[i] ?? 0;
          // The flanks: the half of the band that lies beside the major axis rather than beyond its ends.
          const alongAxis = Math.abs(axis.ux * dx + axis.uy * dy);
          if (gap >= bandIn && gap < bandOut && truth[base + i] === 0 && (!flanksOnly || offAxis >= alongAxis) && out[base + i] === -1) {
            out[base + i] = 0;
            backgroundVoxels += 1;
          }
        }
      }
    }
    perLabel.push({ label, classIndex, slices, structureVoxels, backgroundVoxels });
  });
  return { labels: out, perLabel, slices: [...allSlices].sort((a, b) => a - b) };
}
