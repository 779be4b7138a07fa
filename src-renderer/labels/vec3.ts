/**
 * Three-component vectors for label geometry. Brands keep world positions
 * (patient LPS, millimetres) apart from continuous voxel indices, the mix-up
 * that turns a brush stroke into a stroke in the wrong place.
 */

/** A plain 3-vector (a direction or an unbranded position). */
export type Vec3 = readonly [number, number, number];

/** A point in patient space (LPS), in millimetres. */
export type WorldMm = Vec3 & { readonly __space: 'world-mm' };

/** A continuous voxel index (i, j, k): integers at voxel centres. */
export type VoxelIndex = Vec3 & { readonly __space: 'voxel-index' };

/** Brands a position as world millimetres. */
export function worldMm(x: number, y: number, z: number): WorldMm {
  return [x, y, z] as unknown as WorldMm;
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function scale(a: Vec3, factor: number): Vec3 {
  return [a[0] * factor, a[1] * factor, a[2] * factor];
}

export function length(a: Vec3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** `a` scaled to unit length; throws on a zero vector (a view normal must have a direction). */
export function normalize(a: Vec3): Vec3 {
  const size = length(a);
  if (!(size > 1e-12) || !Number.isFinite(size)) throw new RangeError(`Cannot normalise the vector (${a.join(', ')}).`);
  return scale(a, 1 / size);
}
