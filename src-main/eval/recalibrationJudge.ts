/**
 * Which batch-norm statistics segment the volume at the end of a run: those
 * recalibrated on the volume (ml/bnRecalibration.ts) or those training left,
 * judged without the truth by the strokes. The recalibrated ones are kept
 * unless the training's fit the strokes strictly better (the worst class's
 * share of stroked voxels predicted right, trainer/jobs/strokeFit.ts).
 *
 * Why: on the Colin27 whole head at 60 steps the recalibration over slices
 * spread through the head (vertex, face, neck) ended runs far below what the
 * same weights give with the training's statistics (scratch, K = 3, seed 3:
 * 0.544 against 0.956), while early in training the training's statistics are
 * the ones that fail (docs/eval-protocol.md, "Late collapses"). In both
 * cases the failing statistics also fit the painted voxels worse
 * (docs/eval-protocol.md, session 11). An option, off by default: the
 * training's statistics come from batches of the stroked slices, so they
 * tend to fit the strokes better whether or not they segment the rest of the
 * volume better, and at the suite's 120 steps the judge chose them where the
 * recalibration was 1-2 points better.
 */
import type { SliceLabels } from '../trainer/jobs/interactiveLayers';
import { worstStrokeFit, type StrokeFit } from '../trainer/jobs/strokeFit';
import type { Scribbles } from './scribble';

/** The stroke fit of a whole-volume prediction (class per voxel) on the stroked slices; null when nothing is stroked. */
export function volumeStrokeFit(prediction: Uint8Array, scribbles: Scribbles, plane: number): StrokeFit | null {
  const slices: SliceLabels[] = scribbles.slices.map((k) => {
    const labels = scribbles.labels.subarray(k * plane, (k + 1) * plane);
    return { k, labels, maxLabel: labels.reduce((max, v) => Math.max(max, v), 0) };
  });
  const predicted = new Uint8Array(slices.length * plane);
  slices.forEach((slice, n) => predicted.set(prediction.subarray(slice.k * plane, (slice.k + 1) * plane), n * plane));
  return worstStrokeFit(slices, predicted, plane);
}

/** Whether the recalibrated statistics' prediction is kept over the training statistics' one. */
export function keepsRecalibrated(recalibrated: Uint8Array, training: Uint8Array, scribbles: Scribbles, plane: number): boolean {
  const withRecalibrated = volumeStrokeFit(recalibrated, scribbles, plane);
  const withTraining = volumeStrokeFit(training, scribbles, plane);
  if (withRecalibrated === null || withTraining === null) return true;
  return withRecalibrated.share >= withTraining.share;
}
