/**
 * A small synthetic segmentation task for the ml tests: per slice a bright
 * disc (class 1) whose radius changes with depth and a mid-grey square (class
 * 2) that drifts with depth, on a dark background with Gaussian noise. Sparse
 * "strokes" label a thin core line of each structure and a background line,
 * on a few slices only; everything else is -1 (unlabelled).
 */
import { createRng } from '../../../src-main/ml/random';
import type { Volume } from '../../../src-main/ml/volume';

export interface Phantom {
  readonly volume: Volume;
  /** Ground truth per voxel: 0 background, 1 disc, 2 square. */
  readonly truth: Int32Array;
}

export function makePhantom(size: number, depth: number, seed: number, noise = 0.08): Phantom {
  const rng = createRng(seed);
  const data = new Float32Array(size * size * depth);
  const truth = new Int32Array(size * size * depth);
  for (let z = 0; z < depth; z += 1) {
    const t = z / Math.max(1, depth - 1);
    const discX = 0.3 * size;
    const discY = 0.5 * size;
    const radius = size * (0.13 + 0.07 * Math.sin(Math.PI * t));
    const squareX = 0.7 * size;
    const squareY = (0.32 + 0.3 * t) * size;
    const half = 0.13 * size;
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        const i = (z * size + y) * size + x;
        let label = 0;
        if ((x - discX) ** 2 + (y - discY) ** 2 <= radius ** 2) label = 1;
        else if (Math.abs(x - squareX) <= half && Math.abs(y - squareY) <= half) label = 2;
        truth[i] = label;
        const base = label === 1 ? 0.75 : label === 2 ? 0.45 : 0.15;
        data[i] = Math.min(1, Math.max(0, base + noise * rng.normal()));
      }
    }
  }
  return { volume: { data, width: size, height: size, depth }, truth };
}

/**
 * Stroke labels on `slices` (everything else -1): for each structure the
 * voxels of its middle row that lie at least 1 voxel inside it (its eroded
 * core), and two background lines (rows 3 and size-4).
 */
export function makeStrokes(phantom: Phantom, slices: readonly number[]): Int32Array {
  const { width: size, depth } = phantom.volume;
  const labels = new Int32Array(size * size * depth).fill(-1);
  const at = (z: number, y: number, x: number): number => phantom.truth[(z * size + y) * size + x] ?? 0;
  for (const z of slices) {
    for (const cls of [1, 2]) {
      const rows: number[] = [];
      for (let y = 0; y < size; y += 1) for (let x = 0; x < size; x += 1) if (at(z, y, x) === cls) rows.push(y);
      if (rows.length === 0) continue;
      const mid = Math.round((Math.min(...rows) + Math.max(...rows)) / 2);
      for (let x = 2; x < size - 2; x += 1) {
        const inside = [-1, 0, 1].every((d) => at(z, mid, x + d) === cls && at(z, mid + d, x) === cls);
        if (inside) labels[(z * size + mid) * size + x] = cls;
      }
    }
    for (const y of [3, size - 4]) for (let x = 3; x < size - 3; x += 1) if (at(z, y, x) === 0) labels[(z * size + y) * size + x] = 0;
  }
  return labels;
}

/** Dice of class `cls` between prediction and truth over the given slices. */
export function dice(pred: ArrayLike<number>, truth: ArrayLike<number>, cls: number, sliceSize: number, slices: readonly number[]): number {
  let inter = 0;
  let sum = 0;
  for (const z of slices) {
    for (let i = z * sliceSize; i < (z + 1) * sliceSize; i += 1) {
      const p = pred[i] === cls;
      const t = truth[i] === cls;
      if (p && t) inter += 1;
      sum += Number(p) + Number(t);
    }
  }
  return sum === 0 ? 1 : (2 * inter) / sum;
}
