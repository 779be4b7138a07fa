import { describe, expect, it } from 'vitest';
import { replacesShown } from '../../../../src-main/trainer/jobs/versionJudge';

describe('the judge of a version made while a burst runs', () => {
  it('shows a new version only when it fits the strokes at least as well as the shown one', () => {
    expect(replacesShown({ classIndex: 1, share: 0.93 }, { classIndex: 0, share: 0.98 })).toBe(false);
    expect(replacesShown({ classIndex: 0, share: 0.98 }, { classIndex: 1, share: 0.98 })).toBe(true);
    expect(replacesShown({ classIndex: 1, share: 0.99 }, { classIndex: 1, share: 0.7 })).toBe(true);
  });

  it('shows it when there is nothing to compare (no strokes, or nothing shown yet)', () => {
    expect(replacesShown(null, { classIndex: 1, share: 1 })).toBe(true);
    expect(replacesShown({ classIndex: 1, share: 0 }, null)).toBe(true);
  });
});
