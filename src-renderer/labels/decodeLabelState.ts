/**
 * Stored labels as the app sends them (label runs in bytes) turned into what a
 * LabelDocument starts from, checked against the series' grid so that labels
 * of another grid are refused with a message instead of landing shifted.
 */
import type { LabelState } from '../../src-main/shared/contract/labels';
import { decodeRuns } from '../../src-main/shared/labels/labelRuns';
import type { LoadedLabels } from './labelDocument';
import { voxelCount, type LabelGrid } from './labelGrid';

/** Decodes `state` for `grid`; throws an Error naming the series and the mismatch. */
export function decodeLabelState(state: LabelState, grid: LabelGrid): LoadedLabels {
  const [nx, ny, nz] = grid.dimensions;
  const [sx, sy, sz] = state.dimensions;
  if (nx !== sx || ny !== sy || nz !== sz) {
    throw new Error(`The labels of series ${state.seriesId} were saved for a ${sx}x${sy}x${sz} grid, but the series now has ${nx}x${ny}x${nz} voxels; they were not loaded.`);
  }
  const count = voxelCount(grid);
  try {
    return { segments: state.segments, strokes: decodeRuns(state.strokes, count), accepted: decodeRuns(state.accepted, count) };
  } catch (error) {
    throw new Error(`The stored labels of series ${state.seriesId} are damaged: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
