/**
 * Grids, segments and a brute-force brush reference for the label model
 * tests. The reference tests every voxel of the volume with the plain
 * definition (project the centre on the plane, distance to the segment), so
 * it shares no code with the bounding-box walk it checks.
 */
import type { Segment } from '../../../src-main/shared/contract/labels';
import type { LabelDocument } from '../../../src-renderer/labels/labelDocument';
import type { LabelGrid } from '../../../src-renderer/labels/labelGrid';
import type { Vec3 } from '../../../src-main/shared/geometry/vec3';

/** An axial grid with anisotropic voxels (CT-like). */
export function axialGrid(dimensions: [number, number, number] = [40, 36, 24], spacingMm: [number, number, number] = [0.8, 0.8, 2.5]): LabelGrid {
  return { dimensions, spacingMm, originMm: [-16, -14, -30], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
}

/** A grid rotated about an oblique axis and sheared along the normal (gantry tilt). */
export function obliqueGrid(): LabelGrid {
  const angle = (25 * Math.PI) / 180;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // Rotation about the axis (1, 1, 0)/sqrt(2).
  const row: Vec3 = [(1 + c) / 2, (1 - c) / 2, -s / Math.SQRT2];
  const col: Vec3 = [(1 - c) / 2, (1 + c) / 2, s / Math.SQRT2];
  const tilt = (12 * Math.PI) / 180;
  const cross: Vec3 = [row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0]];
  const normal: Vec3 = [cross[0] * Math.cos(tilt) + col[0] * Math.sin(tilt), cross[1] * Math.cos(tilt) + col[1] * Math.sin(tilt), cross[2] * Math.cos(tilt) + col[2] * Math.sin(tilt)];
  return { dimensions: [34, 30, 26], spacingMm: [0.9, 0.7, 1.6], originMm: [5, -8, 12], direction: [row, col, normal] };
}

export function voxelCentre(grid: LabelGrid, i: number, j: number, k: number): Vec3 {
  const [sx, sy, sz] = grid.spacingMm;
  const [row, col, normal] = grid.direction;
  const o = grid.originMm;
  return [0, 1, 2].map((a) => (o[a] as number) + i * sx * (row[a] as number) + j * sy * (col[a] as number) + k * sz * (normal[a] as number)) as unknown as Vec3;
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const minus = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const plus = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const times = (a: Vec3, f: number): Vec3 => [a[0] * f, a[1] * f, a[2] * f];

/** Every voxel the brush covers from `from` to `to`, by testing the whole volume. */
export function referenceStrokeVoxels(grid: LabelGrid, from: Vec3, to: Vec3, radiusMm: number, planeNormal: Vec3): number[] {
  const n = times(planeNormal, 1 / Math.sqrt(dot(planeNormal, planeNormal)));
  const [sx, sy, sz] = grid.spacingMm;
  const [row, col, normal] = grid.direction;
  const half = 0.5 * (Math.abs(dot(times(row, sx), n)) + Math.abs(dot(times(col, sy), n)) + Math.abs(dot(times(normal, sz), n)));
  const end = minus(to, times(n, dot(minus(to, from), n)));
  const seg = minus(end, from);
  const segLength2 = dot(seg, seg);
  const [nx, ny, nz] = grid.dimensions;
  const out: number[] = [];
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const centre = voxelCentre(grid, i, j, k);
        const d = dot(minus(centre, from), n);
        if (d < -half || d >= half) continue;
        const projected = minus(centre, times(n, d));
        const t = segLength2 === 0 ? 0 : Math.min(1, Math.max(0, dot(minus(projected, from), seg) / segLength2));
        const closest = plus(from, times(seg, t));
        const gap = minus(projected, closest);
        if (Math.sqrt(dot(gap, gap)) <= radiusMm) out.push(i + nx * (j + ny * k));
      }
    }
  }
  return out;
}

/** A segment with defaults (Tissue/Tissue). */
export function makeSegment(label: number, overrides: Partial<Segment> = {}): Segment {
  return {
    label,
    name: `Segment ${label}`,
    color: '#e6194b',
    visible: true,
    locked: false,
    category: { scheme: 'SCT', value: '85756007', meaning: 'Tissue' },
    type: { scheme: 'SCT', value: '85756007', meaning: 'Tissue' },
    ...overrides,
  };
}

/** One brush dab (1.5 mm, axial) of `label` at the centre of voxel (i, j, k): a stroke of its own. */
export function paintVoxel(doc: LabelDocument, i: number, j: number, k: number, label = 1): void {
  doc.beginStroke({ tool: 'brush', label, radiusMm: 1.5, planeNormal: [0, 0, 1], lockedLabels: new Set() });
  doc.strokeTo(voxelCentre(doc.grid, i, j, k));
  doc.endStroke();
}

/** Whether two layers hold the same bytes. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((value, v) => value === b[v]);
