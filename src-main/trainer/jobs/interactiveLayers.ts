/**
 * The label layers of an interactive session in the trainer, kept up to
 * date by sparse deltas, and the training labels they mean, per slice:
 * a stroke 1..254 is that class, a background stroke (255) is class 0; every
 * other voxel is unlabelled (-1). Accepted voxels carry no loss: an accepted
 * mask is the model's own answer, and training on it (a dense foreground
 * against a few background strokes) pulled the prediction outward past the
 * structure (docs/interactive-loop.md, "After Accept"); its runs are only
 * checked against the grid. Only the
 * slices a delta touched are recomputed, so an edit on a 512x512x300 series
 * costs a few slices, not the volume.
 */
import { backgroundStrokeValue } from '../../shared/contract/labels';
import { applyRuns, decodeRuns, type LabelRuns } from '../../shared/labels/labelRuns';
import { unlabelled } from './labelInput';

/** One labelled slice's training labels (-1 unlabelled). */
export interface SliceLabels {
  readonly k: number;
  readonly labels: Int32Array;
  /** Largest class value present. */
  readonly maxLabel: number;
}

export interface LayerDelta {
  /** Start from empty layers first. */
  readonly full: boolean;
  readonly strokes?: Uint8Array | undefined;
  readonly accepted?: Uint8Array | undefined;
}

/** The session's layers and their labelled slices. */
export class InteractiveLayers {
  private readonly strokes: Uint8Array;
  private readonly perSlice: number;
  private readonly labelled = new Map<number, SliceLabels>();

  constructor(readonly dimensions: readonly [number, number, number]) {
    const [nx, ny, nz] = dimensions;
    this.perSlice = nx * ny;
    this.strokes = new Uint8Array(nx * ny * nz);
  }

  /** Applies a delta; returns the slices whose training labels it changed. Throws (before changing anything) on runs that do not fit the grid. */
  apply(delta: LayerDelta): number[] {
    const voxels = this.strokes.length;
    const decode = (bytes: Uint8Array | undefined, layer: string): LabelRuns | null => {
      if (bytes === undefined) return null;
      try {
        return decodeRuns(bytes, voxels);
      } catch (thrown) {
        throw new Error(`Bad ${layer} runs for a ${this.dimensions.join('x')} grid: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
      }
    };
    const runs = decode(delta.strokes, 'strokes');
    decode(delta.accepted, 'accepted');
    const touched = new Set<number>();
    if (delta.full) {
      for (const k of this.labelled.keys()) touched.add(k);
      this.strokes.fill(0);
    }
    if (runs !== null) {
      applyRuns(this.strokes, runs);
      for (let r = 0; r < runs.starts.length; r++) {
        const start = runs.starts[r] as number;
        const last = start + (runs.lengths[r] as number) - 1;
        for (let k = Math.floor(start / this.perSlice); k <= Math.floor(last / this.perSlice); k++) touched.add(k);
      }
    }
    const changed = [...touched].filter((k) => this.recompute(k));
    return changed.sort((a, b) => a - b);
  }

  /** Labelled slices, by slice index. */
  slices(): SliceLabels[] {
    return [...this.labelled.values()].sort((a, b) => a.k - b.k);
  }

  /** Largest class value labelled anywhere (0 when only background is labelled, -1 when nothing is). */
  maxLabel(): number {
    let max = -1;
    for (const slice of this.labelled.values()) max = Math.max(max, slice.maxLabel);
    return max;
  }

  /**
   * A digest of the training labels (every labelled slice's index and
   * labels; FNV-1a, 32 bits): a saved session model records it, so a
   * session resumed with the same labels knows it has trained on them.
   */
  digest(): string {
    let hash = 0x811c9dc5;
    const mix = (value: number): void => {
      hash = Math.imul(hash ^ (value & 0xffff), 0x01000193);
      hash = Math.imul(hash ^ (value >>> 16), 0x01000193);
    };
    for (const slice of this.slices()) {
      mix(slice.k);
      for (const value of slice.labels) mix(value);
    }
    return (hash >>> 0).toString(16).padStart(8, '0');
  }

  /** Recomputes slice k's training labels; true when they changed. */
  private recompute(k: number): boolean {
    const from = k * this.perSlice;
    const labels = new Int32Array(this.perSlice).fill(unlabelled);
    let maxLabel = -1;
    for (let i = 0; i < this.perSlice; i++) {
      const stroke = this.strokes[from + i] as number;
      let value = unlabelled;
      if (stroke === backgroundStrokeValue) value = 0;
      else if (stroke !== 0) value = stroke;
      labels[i] = value;
      if (value > maxLabel) maxLabel = value;
    }
    const before = this.labelled.get(k);
    if (maxLabel < 0) this.labelled.delete(k);
    else this.labelled.set(k, { k, labels, maxLabel });
    if (before === undefined) return maxLabel >= 0;
    return maxLabel < 0 || before.labels.some((value, i) => value !== labels[i]);
  }
}
