/**
 * Scores a segmentation of the protocol's volume per stroked structure
 * (3-D Dice against the truth), optionally after limiting each structure to
 * the extent of its strokes (ml/strokeExtent.ts), fusing it with each
 * structure's shape interpolated between its painted slices
 * (ml/sliceInterpolation.ts, ml/shapeFusion.ts) and dropping the predicted
 * regions that no stroke of their structure touches, as the interactive
 * loop does (ml/keepStrokeConnected.ts); the Dice without each is reported
 * beside it.
 */
import { keepStrokeConnected } from '../ml/keepStrokeConnected';
import { fuseWithShapes, type ShapeFusionOptions } from '../ml/shapeFusion';
import { structureShapes, type SliceInterpolationOptions } from '../ml/sliceInterpolation';
import { keepWithinExtents, strokedSlicesOf, strokeExtents, type StrokeExtentOptions } from '../ml/strokeExtent';
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
  /** With the strokes' prior undone (ml/strokePrior.ts): the Dice of the same model without it (after the same filters). */
  readonly unweightedDice?: number;
  /** With the structures limited to their strokes' extents: the Dice without that limit (the stroke-connected filter as set). */
  readonly unlimitedDice?: number;
  /** With the answer fused with the interpolated shapes: the Dice without that fusion (the other filters as set). */
  readonly uninterpolatedDice?: number;
}

/** Each structure limited to its strokes' extent (ml/strokeExtent.ts) before the other filters; null or absent: not limited. */
export type ExtentLimit = StrokeExtentOptions | null;

/** Each structure's shape interpolated between its painted slices and fused with the answer (after the extent limit, before the stroke-connected filter); null or absent: not fused. */
export type ShapeInterpolation = (SliceInterpolationOptions & ShapeFusionOptions) | null;

/** Per-label results of `prediction` (class index per voxel, the scribbles' class indices); `unweighted`: the same model's answer without the prior's class weights, scored beside it; `extent`: each structure limited to its strokes' extent first; `interpolation`: then fused with the shapes interpolated between the painted slices. */
export function scoreScribbled(prediction: Uint8Array, grid: Grid & { readonly truth: ArrayLike<number> }, scribbles: Scribbles, keepConnected: boolean, unweighted?: Uint8Array, extent: ExtentLimit = null, interpolation: ShapeInterpolation = null): LabelResult[] {
  const classes = scribbles.perLabel.length + 1;
  const painted = strokedSlicesOf(scribbles.labels, scribbles.slices, grid);
  const extents = extent === null ? null : strokeExtents(painted, grid, classes, extent);
  const shapes = interpolation === null ? null : structureShapes(painted, grid, classes, interpolation);
  const limit = (answer: Uint8Array): Uint8Array => (extents === null ? answer : keepWithinExtents(answer, extents, grid).labels);
  const fuse = (answer: Uint8Array): Uint8Array => (shapes === null ? answer : fuseWithShapes(answer, shapes, grid, 0, interpolation ?? {}).labels);
  const connected = (answer: Uint8Array): Uint8Array => (keepConnected ? keepStrokeConnected(answer, scribbles.labels, grid, classes).labels : answer);
  const limited = limit(prediction);
  const final = connected(fuse(limited));
  const filtered = keepConnected ? final : null;
  const plain = unweighted === undefined ? null : connected(fuse(limit(unweighted)));
  const unlimited = extents === null ? null : connected(fuse(prediction));
  const uninterpolated = shapes === null ? null : connected(limited);
  return scribbles.perLabel.map((scribble) => {
    const overlap = labelDice(final, scribble.classIndex, grid.truth, scribble.label);
    return {
      label: scribble.label,
      dice: overlap.dice,
      labelledVoxels: scribble.structureVoxels,
      backgroundVoxels: scribble.backgroundVoxels,
      slices: scribble.slices,
      truthVoxels: overlap.truthVoxels,
      predictedVoxels: overlap.predictedVoxels,
      ...(filtered === null ? {} : { unfilteredDice: labelDice(prediction, scribble.classIndex, grid.truth, scribble.label).dice }),
      ...(unlimited === null ? {} : { unlimitedDice: labelDice(unlimited, scribble.classIndex, grid.truth, scribble.label).dice }),
      ...(uninterpolated === null ? {} : { uninterpolatedDice: labelDice(uninterpolated, scribble.classIndex, grid.truth, scribble.label).dice }),
      ...(plain === null ? {} : { unweightedDice: labelDice(plain, scribble.classIndex, grid.truth, scribble.label).dice }),
    };
  });
}
