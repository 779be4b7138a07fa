/**
 * Small 3-vector helpers for patient-space geometry (LPS, millimetres), used
 * by the main process (series geometry, NIfTI, DICOM-SEG) and the renderer
 * (strokes on the label grid). Brands keep world positions apart from
 * continuous voxel indices, the mix-up that turns a brush stroke into a
 * stroke in the wrong place.
 */

/** A point or direction in patient space (or an unbranded position). */
export type Vec3 = readonly [number, number, number];

/** A point in patient space (LPS), in millimetres. */
export type WorldMm = Vec3 & { readonly __space: 'world-mm' };

/** A continuous voxel index (i, j, k): integers at voxel centres. */
export type VoxelIndex = Vec3 & { readonly __space: 'voxel-index' };

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function norm(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** The unit vector along `a`; throws for a zero or non-finite vector (a corrupt orientation, a view normal without a direction). */
export function normalize(a: Vec3): Vec3 {
  const length = norm(a);
  if (!(length > 1e-9) || !Number.isFinite(length)) throw new RangeError(`Cannot normalise the vector (${a.join(', ')}): it has no direction.`);
  return scale(a, 1 / length);
}

/** True when every component differs by at most `tolerance`. */
export function nearlyEqual(a: Vec3, b: Vec3, tolerance: number): boolean {
  return Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance && Math.abs(a[2] - b[2]) <= tolerance;
}

/** Rounds for display and stable JSON (1e-6 mm is far below any scanner's precision); never -0. */
export function roundVec(a: Vec3, digits = 6): Vec3 {
  const f = 10 ** digits;
  const r = (x: number): number => Math.round(x * f) / f || 0;
  return [r(a[0]), r(a[1]), r(a[2])];
}
