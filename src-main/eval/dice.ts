/**
 * Per-label 3-D Dice over a whole volume (what users are shown; the paper's
 * figures are 2-D Dice pooled over slices, see docs/macl-method.md 4.1).
 */

/** Overlap of one label between prediction and truth. */
export interface LabelOverlap {
  /** 2 |P and T| / (|P| + |T|); 1 when both are empty. */
  readonly dice: number;
  readonly truthVoxels: number;
  readonly predictedVoxels: number;
  readonly intersection: number;
}

/** Dice of `predictedValue` in `prediction` against `truthValue` in `truth` (same length, same voxel order). */
export function labelDice(prediction: ArrayLike<number>, predictedValue: number, truth: ArrayLike<number>, truthValue: number): LabelOverlap {
  if (prediction.length !== truth.length) throw new Error(`labelDice: the prediction has ${prediction.length} voxels, the truth ${truth.length}.`);
  let truthVoxels = 0;
  let predictedVoxels = 0;
  let intersection = 0;
  for (let i = 0; i < truth.length; i += 1) {
    const p = prediction[i] === predictedValue;
    const t = truth[i] === truthValue;
    if (p) predictedVoxels += 1;
    if (t) truthVoxels += 1;
    if (p && t) intersection += 1;
  }
  const total = truthVoxels + predictedVoxels;
  return { dice: total === 0 ? 1 : (2 * intersection) / total, truthVoxels, predictedVoxels, intersection };
}
