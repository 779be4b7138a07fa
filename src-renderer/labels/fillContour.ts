/**
 * Fill of a closed contour: in the voxel slice through the clicked point
 * (of the grid axis closest to the view normal), the region around the
 * point that does not show the segment's label is flooded (4-connected). If
 * that region reaches the slice border, the contour is open and nothing is
 * filled: a fill that floods half the image is never what was meant.
 */
import type { GridFrame } from './labelGrid';
import { LabelEditError } from './labelEditError';
import { dot, normalize, type Vec3 } from '../../src-main/shared/geometry/vec3';

/** The slice the fill works in, and the voxels it found (sorted flat indices). */
export interface FillRegion {
  readonly axis: 0 | 1 | 2;
  readonly sliceIndex: number;
  readonly indices: Uint32Array;
}

/** The index axis whose direction is closest to `normal`. */
export function closestAxis(frame: GridFrame, normal: Vec3): 0 | 1 | 2 {
  const n = normalize(normal);
  let best: 0 | 1 | 2 = 0;
  let bestCos = -1;
  for (const axis of [0, 1, 2] as const) {
    const cos = Math.abs(dot(n, frame.grid.direction[axis]));
    if (cos > bestCos + 1e-9) {
      best = axis;
      bestCos = cos;
    }
  }
  return best;
}

/**
 * Finds the enclosed region around voxel `seed` (integer i, j, k) in the
 * slice normal to `axis`; throws a LabelEditError when the seed is on the
 * contour or the region leaks to the border.
 */
export function findFillRegion(frame: GridFrame, display: Uint8Array, seed: Vec3, axis: 0 | 1 | 2, label: number): FillRegion {
  const sizes = [frame.nx, frame.ny, frame.nz] as const;
  const strides = [1, frame.nx, frame.nx * frame.ny] as const;
  const [uAxis, vAxis] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const width = sizes[uAxis] as number;
  const height = sizes[vAxis] as number;
  const uStride = strides[uAxis] as number;
  const vStride = strides[vAxis] as number;
  const sliceIndex = seed[axis] as number;
  const base = sliceIndex * (strides[axis] as number);
  const u0 = seed[uAxis] as number;
  const v0 = seed[vAxis] as number;
  if (display[base + u0 * uStride + v0 * vStride] === label) {
    throw new LabelEditError('Click inside the contour to fill it, not on the contour itself.');
  }
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const found: number[] = [];
  let top = 0;
  visited[u0 + v0 * width] = 1;
  stack[top++] = u0 + v0 * width;
  while (top > 0) {
    const cell = stack[--top] as number;
    const u = cell % width;
    const v = (cell - u) / width;
    if (u === 0 || v === 0 || u === width - 1 || v === height - 1) {
      throw new LabelEditError('The contour is not closed: the fill would run out to the edge of the slice. Close the outline and try again.');
    }
    found.push(base + u * uStride + v * vStride);
    for (const [du, dv] of neighbours) {
      const nu = u + du;
      const nv = v + dv;
      const next = nu + nv * width;
      if (visited[next] === 1) continue;
      visited[next] = 1;
      if (display[base + nu * uStride + nv * vStride] === label) continue;
      stack[top++] = next;
    }
  }
  return { axis, sliceIndex, indices: Uint32Array.from(found).sort() };
}

const neighbours: ReadonlyArray<readonly [number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
