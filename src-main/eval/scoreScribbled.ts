/**
 * Scores a segmentation of the protocol's volume per stroked structure
 * (3-D Dice against the truth), optionally after dropping the predicted
 * regions that no stroke of their structure touches, as the interactive
 * loop does (ml/keepStrokeConnected.ts); both Dice are then reported.
 */
import { keepStrokeConnected } from '../ml/keepStrokeConnected';
import { labelDice } from './dice';
import type { Grid, Scribbles } from './scribble';

/** Scores of one label. */
export interface LabelResult {
  readonly label: number;
  readonly dice: number;
  /** Voxels stroked inside this structure. */
  readonly labelledVoxels: number;
  /** Background voxels stroked around it. */
  readonly backgroundVoxels: number;
  readonly slices: readonly number[];
  readonly truthVoxels: number;
  readonly predictedVoxels: number;
  /** With the stroke-connected filter: the Dice before the regions no stroke touches were dropped. */
  readonly unfilteredDice?: number;
  /** With the strokes' prior undone (ml/strokePrior.ts): the Dice of the same model without it (after the same filter). */
  readonly unweightedDice?: number;
}

/** Per-label results of `prediction` (class index per voxel, the scribbles' class indices); `unweighted`: the same model's answer without the prior's class weights, scored beside it. */
export function scoreScribbled(prediction: Uint8Array, grid: Grid & { readonly truth: ArrayLike<number> }, scribbles: Scribbles, keepConnected: boolean, unweighted?: Uint8Array): LabelResult[] {
  const classes = scribbles.perLabel.length + 1;
  const filtered = keepConnected ? keepStrokeConnected(prediction, scribbles.labels, grid, classes).labels : null;
  const plain = unweighted === undefined ? null : keepConnected ? keepStrokeConnected(unweighted, scribbles.labels, grid, classes).labels : unweighted;
  return scribbles.perLabel.map((scribble) => {
    const overlap = labelDice(filtered ?? prediction, scribble.classIndex, grid.truth, scribble.label);
    return {
      label: scribble.label,
      dice: overlap.dice,
      labelledVoxels: scribble.structureVoxels,
      backgroundVoxels: scribble.backgroundVoxels,
      slices: scribble.slices,
      truthVoxels: overlap.truthVoxels,
      predictedVoxels: overlap.predictedVoxels,
      ...(filtered === null ? {} : { unfilteredDice: labelDice(prediction, scribble.classIndex, grid.truth, scribble.label).dice }),
      ...(plain === null ? {} : { unweightedDice: labelDice(plain, scribble.classIndex, grid.truth, scribble.label).dice }),
    };
  });
}
