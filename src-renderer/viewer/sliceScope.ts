/**
 * Which slice of the label grid a viewport shows: the grid axis closest to
 * the view normal and the index of the voxel slice through the focal point.
 * "Accept this slice" accepts exactly what the radiologist is looking at,
 * whatever the series' acquisition plane.
 */
import { closestAxis } from '../labels/fillContour';
import { gridFrame, worldToIndex, type LabelGrid } from '../labels/labelGrid';
import type { PlaneReadout } from './viewerApi';

/** A slice of the label grid: the index along one grid axis. */
export interface GridSlice {
  readonly axis: 0 | 1 | 2;
  readonly index: number;
}

/** The grid axis a viewport looks along (the one closest to its normal). */
export function gridAxisOf(grid: LabelGrid, readout: Pick<PlaneReadout, 'normal'>): 0 | 1 | 2 {
  return closestAxis(gridFrame(grid), readout.normal);
}

/** The grid slice a viewport shows, or null when its focal point lies outside the grid. */
export function gridSliceOf(grid: LabelGrid, readout: Pick<PlaneReadout, 'focalPointMm' | 'normal'>): GridSlice | null {
  const frame = gridFrame(grid);
  const axis = closestAxis(frame, readout.normal);
  const index = Math.round(worldToIndex(frame, readout.focalPointMm)[axis]);
  return index >= 0 && index < grid.dimensions[axis] ? { axis, index } : null;
}
