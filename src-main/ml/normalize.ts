/**
 * Intensity normalisation used in both phases (docs/macl-method.md 6.3): clip each volume
 * to its [1st, 99th] percentile, then map that range to [0, 1]. One
 * consistent rule for pre-training, fine-tuning and inference (the reference
 * mixes min-max and z-score; docs/macl-method.md 6.3 calls that out).
 */

export interface NormalizeOptions {
  /** Lower percentile (default 1). */
  readonly low?: number;
  /** Upper percentile (default 99). */
  readonly high?: number;
  /**
   * Percentiles are estimated from at most this many voxels taken at an even
   * stride (default 2^20): sorting a whole 512x512x300 volume costs seconds,
   * and a million samples pin the 1st/99th percentiles far below one grey level.
   */
  readonly maxSamples?: number;
}

/** Percentiles (0..100, linear interpolation like numpy's default) of the finite values in data. */
export function percentiles(data: ArrayLike<number>, ps: readonly number[], maxSamples = 1 << 20): number[] {
  for (const p of ps) if (!(p >= 0 && p <= 100)) throw new Error(`percentiles: ${p} is not in [0, 100].`);
  const stride = Math.max(1, Math.ceil(data.length / maxSamples));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += stride) {
    const v = data[i] ?? NaN;
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) throw new Error('percentiles: the data has no finite value.');
  const sorted = Float64Array.from(sample).sort();
  return ps.map((p) => {
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(lo + 1, sorted.length - 1);
    const a = sorted[lo] ?? 0;
    const b = sorted[hi] ?? 0;
    return a + (b - a) * (rank - lo);
  });
}

/** Clips to the [low, high] percentiles and maps them to [0, 1]; NaN becomes 0 (as the reference does). A constant volume maps to 0. */
export function normalizeIntensities(data: ArrayLike<number>, options: NormalizeOptions = {}): Float32Array {
  const low = options.low ?? 1;
  const high = options.high ?? 99;
  if (!(low < high)) throw new Error(`normalizeIntensities: low (${low}) must be below high (${high}).`);
  const [lo = 0, hi = 0] = percentiles(data, [low, high], options.maxSamples);
  const out = new Float32Array(data.length);
  const range = hi - lo;
  if (!(range > 0)) return out;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i] ?? NaN;
    out[i] = Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, (v - lo) / range));
  }
  return out;
}
