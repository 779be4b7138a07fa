/**
 * A small seeded random source (mulberry32) for everything decided on the JS
 * side: slice sampling, augmentation parameters, weight-init seeds. Fixed
 * seeds make training runs and tests reproducible.
 */

/** A seeded stream of random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A 31-bit integer, e.g. to seed tfjs random ops. */
  seed(): number;
}

/** Creates a seeded Rng; the same seed gives the same stream. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`createRng: the seed must be a finite number, got ${seed}.`);
  let state = Math.floor(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => Math.min(n - 1, Math.floor(next() * n)),
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    seed: () => Math.floor(next() * 0x7fffffff),
  };
}
