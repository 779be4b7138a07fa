/**
 * The voxel grid the label layers cover: the series' sorted grid, exactly as
 * cornerstone's labelmap orders it (flat index i + j*nx + k*nx*ny). Voxel
 * (i, j, k) has its centre at origin + i*sx*row + j*sy*col + k*sz*normal.
 * The three axes need not be orthogonal (gantry tilt shears the grid), so
 * world-to-index uses the full inverse of that 3x3 map.
 */
import type { SeriesGeometry } from '../../src-main/shared/contract/series';
import { dot, type Vec3, type VoxelIndex, type WorldMm } from '../../src-main/shared/geometry/vec3';

/** The label grid of one series. */
export interface LabelGrid {
  readonly dimensions: readonly [nx: number, ny: number, nz: number];
  readonly spacingMm: readonly [sx: number, sy: number, sz: number];
  readonly originMm: Vec3;
  /** Row direction, column direction, slice normal (unit vectors, LPS). */
  readonly direction: readonly [row: Vec3, col: Vec3, normal: Vec3];
}

/**
 * The grid's index-to-world map, precomputed: `steps[a]` is the world
 * displacement of one voxel along index axis a, `inverse[a]` the row of the
 * inverse map giving index coordinate a of a world offset.
 */
export interface GridFrame {
  readonly grid: LabelGrid;
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly steps: readonly [Vec3, Vec3, Vec3];
  readonly inverse: readonly [Vec3, Vec3, Vec3];
}

/** The label grid of a series; throws a readable error for a series without usable geometry. */
export function gridFromGeometry(geometry: SeriesGeometry): LabelGrid {
  const [nx, ny, nz] = geometry.dimensions;
  for (const n of [nx, ny, nz]) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`The series grid ${nx}x${ny}x${nz} is not a voxel grid.`);
  }
  for (const s of geometry.spacingMm) {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`The series has voxel spacing ${geometry.spacingMm.join(' x ')} mm; labels need positive spacing.`);
  }
  return {
    dimensions: [nx, ny, nz],
    spacingMm: [...geometry.spacingMm],
    originMm: [...geometry.originMm],
    direction: [[...geometry.direction[0]], [...geometry.direction[1]], [...geometry.direction[2]]],
  };
}

/** Number of voxels in the grid. */
export function voxelCount(grid: LabelGrid): number {
  return grid.dimensions[0] * grid.dimensions[1] * grid.dimensions[2];
}

/** Flat index of integer voxel (i, j, k). */
export function flatIndex(grid: LabelGrid, i: number, j: number, k: number): number {
  return i + grid.dimensions[0] * (j + grid.dimensions[1] * k);
}

/** Precomputes the grid's maps; throws when its axes are degenerate (coplanar). */
export function gridFrame(grid: LabelGrid): GridFrame {
  const [sx, sy, sz] = grid.spacingMm;
  const [row, col, normal] = grid.direction;
  const a: Vec3 = [row[0] * sx, row[1] * sx, row[2] * sx];
  const b: Vec3 = [col[0] * sy, col[1] * sy, col[2] * sy];
  const c: Vec3 = [normal[0] * sz, normal[1] * sz, normal[2] * sz];
  // Rows of the inverse of the matrix with columns a, b, c: cross products over the determinant.
  const bc = cross(b, c);
  const det = dot(a, bc);
  if (!(Math.abs(det) > 1e-12)) throw new RangeError('The series grid axes are coplanar; labels cannot be placed on it.');
  const ca = cross(c, a);
  const ab = cross(a, b);
  return {
    grid,
    nx: grid.dimensions[0],
    ny: grid.dimensions[1],
    nz: grid.dimensions[2],
    steps: [a, b, c],
    inverse: [scale3(bc, 1 / det), scale3(ca, 1 / det), scale3(ab, 1 / det)],
  };
}

/** World position of a (possibly fractional) voxel index. */
export function indexToWorld(frame: GridFrame, index: Vec3): WorldMm {
  const [a, b, c] = frame.steps;
  const o = frame.grid.originMm;
  const [i, j, k] = index;
  return [
    o[0] + i * a[0] + j * b[0] + k * c[0],
    o[1] + i * a[1] + j * b[1] + k * c[1],
    o[2] + i * a[2] + j * b[2] + k * c[2],
  ] as unknown as WorldMm;
}

/** Continuous voxel index of a world position (round it for the voxel containing the point). */
export function worldToIndex(frame: GridFrame, point: WorldMm | Vec3): VoxelIndex {
  const o = frame.grid.originMm;
  const d: Vec3 = [point[0] - o[0], point[1] - o[1], point[2] - o[2]];
  return [dot(frame.inverse[0], d), dot(frame.inverse[1], d), dot(frame.inverse[2], d)] as unknown as VoxelIndex;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function scale3(a: Vec3, f: number): Vec3 {
  return [a[0] * f, a[1] * f, a[2] * f];
}
