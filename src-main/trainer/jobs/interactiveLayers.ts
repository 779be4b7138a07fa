/**
 * The label layers of an interactive session in the trainer, kept up to
 * date by sparse deltas, and the training labels they mean, per slice:
 * a stroke 1..254 is that class, a background stroke (255) is class 0, else
 * an accepted label 1..254; unpainted and erased voxels are unlabelled (-1),
 * as in labelInput.ts. Only the slices a delta touched are recomputed, so
 * an edit on a 512x512x300 series costs a few slices, not the volume.
 */
import { backgroundStrokeValue, maxSegmentLabel } from '../../shared/contract/labels';
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
  readonly strokes?: string | undefined;
  readonly accepted?: string | undefined;
}

/** The session's layers and their labelled slices. */
export class InteractiveLayers {
  private readonly strokes: Uint8Array;
  private readonly accepted: Uint8Array;
  private readonly perSlice: number;
  private readonly labelled = new Map<number, SliceLabels>();

  constructor(readonly dimensions: readonly [number, number, number]) {
    const [nx, ny, nz] = dimensions;
    this.perSlice = nx * ny;
    this.strokes = new Uint8Array(nx * ny * nz);
    this.accepted = new Uint8Array(nx * ny * nz);
  }

  /** Applies a delta; returns the slices it touched. Throws (before changing anything) on runs that do not fit the grid. */
  apply(delta: LayerDelta): number[] {
    const voxels = this.strokes.length;
    const decode = (text: string | undefined, layer: string): LabelRuns | null => {
      if (text === undefined) return null;
      try {
        return decodeRuns(text, voxels);
      } catch (thrown) {
        throw new Error(`Bad ${layer} runs for a ${this.dimensions.join('x')} grid: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
      }
    };
    const strokeRuns = decode(delta.strokes, 'strokes');
    const acceptedRuns = decode(delta.accepted, 'accepted');
    const touched = new Set<number>();
    if (delta.full) {
      for (const k of this.labelled.keys()) touched.add(k);
      this.strokes.fill(0);
      this.accepted.fill(0);
      this.labelled.clear();
    }
    for (const [layer, runs] of [[this.strokes, strokeRuns], [this.accepted, acceptedRuns]] as const) {
      if (runs === null) continue;
      applyRuns(layer, runs);
      for (let r = 0; r < runs.starts.length; r++) {
        const start = runs.starts[r] as number;
        const last = start + (runs.lengths[r] as number) - 1;
        for (let k = Math.floor(start / this.perSlice); k <= Math.floor(last / this.perSlice); k++) touched.add(k);
      }
    }
    for (const k of touched) this.recompute(k);
    return [...touched].sort((a, b) => a - b);
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

  private recompute(k: number): void {
    const from = k * this.perSlice;
    const labels = new Int32Array(this.perSlice).fill(unlabelled);
    let maxLabel = -1;
    for (let i = 0; i < this.perSlice; i++) {
      const stroke = this.strokes[from + i] as number;
      const kept = this.accepted[from + i] as number;
      let value = unlabelled;
      if (stroke === backgroundStrokeValue) value = 0;
      else if (stroke !== 0) value = stroke;
      else if (kept !== 0 && kept <= maxSegmentLabel) value = kept;
      labels[i] = value;
      if (value > maxLabel) maxLabel = value;
    }
    if (maxLabel < 0) this.labelled.delete(k);
    else this.labelled.set(k, { k, labels, maxLabel });
  }
}
