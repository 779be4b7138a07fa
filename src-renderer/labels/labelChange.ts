/**
 * What an edit of a label document changed, as its listeners (the store, the
 * overlay that redraws the changed slices) receive it.
 */

export interface LabelChange {
  /** Flat indices whose display value changed, increasing. */
  readonly changed: Uint32Array;
  /** The k slices (sorted grid) holding those voxels, increasing. */
  readonly kSlices: readonly number[];
  /** The prediction layer changed (in `kSlices`, or everywhere when empty). */
  readonly predictionChanged?: boolean;
  readonly segmentsChanged?: boolean;
  /** canUndo/canRedo may have changed (a step was recorded, undone or redone). */
  readonly historyChanged?: boolean;
}

/** The k slices holding the voxels `changed` (increasing flat indices over slices of `plane` voxels), increasing. */
export function slicesOfVoxels(changed: Uint32Array, plane: number): number[] {
  const slices: number[] = [];
  for (const v of changed) {
    const k = Math.floor(v / plane);
    if (slices[slices.length - 1] !== k) slices.push(k);
  }
  return slices;
}
