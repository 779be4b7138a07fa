import { describe, expect, it } from 'vitest';
import { worstStrokeFit } from '../../../../src-main/trainer/jobs/strokeFit';

describe('worstStrokeFit', () => {
  it('gives the class whose stroked voxels the version gets right least often, over every stroked slice', () => {
    // Two slices of 4 voxels: class 1 stroked on 3 voxels (2 right), background (0) on 2 (both right), 3 unlabelled.
    const slices = [
      { k: 2, labels: Int32Array.from([1, 1, -1, 0]), maxLabel: 1 },
      { k: 5, labels: Int32Array.from([-1, 1, 0, -1]), maxLabel: 1 },
    ];
    const predicted = Uint8Array.from([1, 0, 1, 0, 1, 1, 0, 1]);
    const fit = worstStrokeFit(slices, predicted, 4);
    expect(fit?.classIndex).toBe(1);
    expect(fit?.share).toBeCloseTo(2 / 3);
  });

  it('is null when nothing is stroked', () => {
    expect(worstStrokeFit([{ k: 0, labels: Int32Array.from([-1, -1]), maxLabel: 0 }], new Uint8Array(2), 2)).toBeNull();
  });
});
