/**
 * What the user is told after pressing Accept: how much of the prediction
 * became their labels, where, and that Undo takes it back. Accepting a whole
 * volume changes thousands of voxels at once, often out of sight; without a
 * word it looked as if the button had done nothing.
 */
import { viewerSliceNumber, type SliceGeometry } from '../../src-main/shared/sliceNumbering';
import type { AcceptScope } from './acceptPrediction';

/** The confirmation for an accept of `scope` that changed `voxels` voxels in `kSlices` (sorted grid k). */
export function acceptConfirmation(scope: AcceptScope, change: { readonly voxels: number; readonly kSlices: readonly number[] }, geometry: SliceGeometry, segmentName: string | null): string {
  const voxels = `${change.voxels.toLocaleString('en-US')} voxel${change.voxels === 1 ? '' : 's'}`;
  const slices = `${change.kSlices.length} slice${change.kSlices.length === 1 ? '' : 's'}`;
  let what: string;
  if (scope.kind === 'slice') {
    const shown = viewerSliceNumber(geometry, scope.index, scope.axis);
    what = `Accepted the prediction in ${shown.plane} slice ${shown.number} of ${shown.count}: ${voxels}`;
  } else if (scope.kind === 'segment') {
    what = `Accepted the prediction of ${segmentName ?? `label ${scope.label}`}: ${voxels} in ${slices}`;
  } else {
    what = `Accepted the whole predicted volume: ${voxels} in ${slices}`;
  }
  return `${what}. Undo (Ctrl+Z) takes it back.`;
}
