import { describe, expect, it } from 'vitest';
import { strokeSlab } from '../../../src-main/ml/strokeSlab';

describe("the strokes' slab", () => {
  it('spans the stroked slices, widened by a quarter of their extent on both sides', () => {
    // Colin27's painted slices 34, 80, 125: extent 91, margin 23.
    expect(strokeSlab([80, 34, 125], 181)).toEqual([11, 148]);
  });

  it('widens by at least 8 slices, so one painted slice gives a slab of 17', () => {
    expect(strokeSlab([40], 181)).toEqual([32, 48]);
    expect(strokeSlab([40, 50], 181)).toEqual([32, 58]);
  });

  it('stays inside the volume', () => {
    expect(strokeSlab([2, 60], 62)).toEqual([0, 61]);
    expect(strokeSlab([0], 5)).toEqual([0, 4]);
  });

  it('takes the fallback slices when no structure is stroked, and gives null when nothing is', () => {
    expect(strokeSlab([], 100, [50])).toEqual([42, 58]);
    expect(strokeSlab([20], 100, [90])).toEqual([12, 28]);
    expect(strokeSlab([], 100)).toBeNull();
  });

  it('follows the margins it is given and rejects slices outside the volume', () => {
    expect(strokeSlab([40, 60], 181, [], { margin: 0, minMargin: 0 })).toEqual([40, 60]);
    expect(strokeSlab([40, 60], 181, [], { margin: 1, minMargin: 0 })).toEqual([20, 80]);
    expect(() => strokeSlab([181], 181)).toThrow(/0..180/);
    expect(() => strokeSlab([1], 10, [], { margin: -1 })).toThrow(/margins/);
  });
});
