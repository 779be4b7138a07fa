/**
 * Checks the positions of a sorted stack along its normal: missing slices
 * (a gap that is a whole multiple of the usual step) and uneven spacing,
 * each reported with the positions involved, and the step to use.
 */
import type { SeriesProblem } from '../contract/series';

export interface SpacingAnalysis {
  /** The slice step for the volume: the mean step when even, else the median step. */
  readonly spacingMm: number;
  readonly problems: SeriesProblem[];
}

/** Scanners round positions; real series vary by a few hundredths of a millimetre. */
export function spacingTolerance(step: number): number {
  return Math.max(0.02, 0.02 * step);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

const mm = (value: number): string => `${Number(value.toFixed(2))} mm`;
/** At most 12 items in a message (positionsMm keeps them all). */
const listed = (items: readonly string[]): string => (items.length <= 12 ? items.join(', ') : `${items.slice(0, 12).join(', ')}, … (${items.length - 12} more)`);
const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Analyses ascending positions `positions` (mm along the normal). `fallback` is used for a single slice. */
export function analyseSpacing(positions: readonly number[], fallback: number): SpacingAnalysis {
  if (positions.length < 2) return { spacingMm: fallback > 0 ? fallback : 1, problems: [] };
  const gaps = positions.slice(1).map((position, i) => position - (positions[i] ?? position));
  const step = median(gaps);
  const tolerance = spacingTolerance(step);
  const missing: number[] = [];
  const missingGaps: string[] = [];
  const uneven: number[] = [];
  const unevenGaps: string[] = [];
  gaps.forEach((gap, i) => {
    const before = positions[i] ?? 0;
    const after = positions[i + 1] ?? 0;
    if (Math.abs(gap - step) <= tolerance) return;
    const multiple = Math.round(gap / step);
    if (multiple >= 2 && Math.abs(gap - multiple * step) <= tolerance * multiple) {
      for (let j = 1; j < multiple; j++) missing.push(round3(before + j * step));
      missingGaps.push(`${multiple - 1} between ${mm(before)} and ${mm(after)}`);
    } else {
      uneven.push(round3(before), round3(after));
      unevenGaps.push(`${mm(gap)} between ${mm(before)} and ${mm(after)}`);
    }
  });
  const problems: SeriesProblem[] = [];
  if (missing.length > 0) {
    problems.push({
      code: 'missing-slices',
      message: `${missing.length} slice(s) missing (expected every ${mm(step)}): ${listed(missingGaps)}; missing positions ${listed(missing.map(mm))}.`,
      positionsMm: missing,
    });
  }
  if (uneven.length > 0) {
    problems.push({
      code: 'uneven-spacing',
      message: `Uneven slice spacing (usual step ${mm(step)}): ${listed(unevenGaps)}.`,
      positionsMm: [...new Set(uneven)],
    });
  }
  const first = positions[0] ?? 0;
  const last = positions[positions.length - 1] ?? 0;
  const spacingMm = problems.length === 0 ? (last - first) / (positions.length - 1) : step;
  return { spacingMm, problems };
}
