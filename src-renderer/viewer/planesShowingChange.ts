/**
 * Which planes must redraw after a label edit: those whose shown slice holds
 * a changed voxel. A brush stroke in the axial view changes one or two axial
 * slices; the sagittal and coronal views show it only where their slice
 * crosses the stroke. Redrawing every viewport on every pointer move was most
 * of the brush's cost in software rendering (three 512x512 volume viewports,
 * two labelmaps each).
 */
import type { LabelGrid } from '../labels/labelGrid';
import type { Plane } from '../stores/layout';
import { gridSliceOf } from './sliceScope';
import type { PlaneReadout } from './viewerApi';

/** Beyond this many changed voxels, checking costs more than redrawing: every plane redraws. */
const maxVoxelsChecked = 20_000;

/**
 * The planes among `readouts` whose shown grid slice is within one slice of
 * a voxel in `changed` (flat grid indices); a plane that shows no grid slice
 * (an oblique cut outside the grid) is left out. `null`: every plane (too many voxels to check, or no voxel list).
 */
export function planesShowingChange(grid: LabelGrid, changed: ArrayLike<number>, readouts: Readonly<Partial<Record<Plane, PlaneReadout | null>>>): Plane[] | null {
  if (changed.length === 0 || changed.length > maxVoxelsChecked) return null;
  const [nx, ny] = grid.dimensions;
  const planes: Plane[] = [];
  for (const [plane, readout] of Object.entries(readouts) as [Plane, PlaneReadout | null][]) {
    if (readout === null) continue;
    const shown = gridSliceOf(grid, readout);
    if (shown === null) continue;
    for (let n = 0; n < changed.length; n++) {
      const v = changed[n] as number;
      const coordinate = shown.axis === 0 ? v % nx : shown.axis === 1 ? Math.floor(v / nx) % ny : Math.floor(v / (nx * ny));
      // Within one slice: an oblique view's plane cuts through neighbouring grid slices too.
      if (Math.abs(coordinate - shown.index) <= 1) {
        planes.push(plane);
        break;
      }
    }
  }
  return planes;
}
