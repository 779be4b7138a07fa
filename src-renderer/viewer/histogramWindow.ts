/**
 * A window from the intensity histogram: between two quantiles of the voxel
 * values. The MR "auto" preset uses the 1st to 99th percentile, so a few
 * very bright or dark voxels (fat saturation failures, air outside the
 * patient) do not flatten the contrast; MR intensities have no fixed scale.
 */
import { windowOfRange, type WindowLevel } from './windowLevel';

/** The value at fraction `p` of sorted values (nearest rank). */
function quantile(sorted: Float64Array, p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[rank] ?? 0;
}

/**
 * The percentile window of `samples` (finite values only), or null when
 * there are none. Sorting a copy is fine: callers pass a bounded sample.
 */
export function percentileWindow(samples: ArrayLike<number>, lower: number, upper: number): WindowLevel | null {
  const finite: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i];
    if (value !== undefined && Number.isFinite(value)) finite.push(value);
  }
  if (finite.length === 0) return null;
  const sorted = Float64Array.from(finite).sort();
  return windowOfRange({ lower: quantile(sorted, lower), upper: quantile(sorted, upper) });
}
