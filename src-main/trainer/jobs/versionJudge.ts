/**
 * Whether a network version made while a burst runs replaces the one on
 * screen, judged without the truth by what the app has: the strokes. The
 * new version is shown only if it fits the strokes (strokeFit.ts: the worst
 * class's share of stroked voxels predicted right) at least as well as the
 * shown version does on the same strokes; otherwise the shown version, and
 * the mask on screen, stay. The burst's last version is always shown (the
 * session does not judge it): it has the most training on every stroke and
 * the smallest steps behind it, and an edit must not go unanswered. The
 * session judges only with its `judgeVersions` setting (default off: it
 * delayed the first answer to an edit, on the ITK T1 until the burst's end,
 * while the streaming filter of shownVolume.ts alone already kept the mask on
 * screen from swinging; docs/benchmarks.md, session 11).
 *
 * Why: the versions of a burst swing (Colin27, the loop's own strokes: Dice
 * 0.971 -> 0.925 -> 0.971 within one burst, 0.964 -> 0.898 on the first
 * version after a new slice, at the burst's full learning rate), and each
 * dip showed as a worse mask on screen until the next version. A dip fits
 * the strokes worse too (0.978 -> 0.931, 0.985 -> 0.860): docs/benchmarks.md,
 * session 11.
 */
import type { StrokeFit } from './strokeFit';

/** `proposed` and `shown`: each version's fit to the current strokes (null: nothing stroked, or nothing shown yet). Ties go to the new version. */
export function replacesShown(proposed: StrokeFit | null, shown: StrokeFit | null): boolean {
  if (proposed === null || shown === null) return true;
  return proposed.share >= shown.share;
}
