import { describe, expect, it } from 'vitest';
import { percentileWindow } from '../../../src-renderer/viewer/histogramWindow';
import { rangeOfWindow, sameWindow, windowOfRange } from '../../../src-renderer/viewer/windowLevel';
import { presetsFor } from '../../../src-renderer/viewer/windowPresets';

describe('window/level', () => {
  it('converts between a window and the value range it shows', () => {
    expect(rangeOfWindow({ width: 400, center: 50 })).toEqual({ lower: -150, upper: 250 });
    expect(windowOfRange({ lower: -1350, upper: 150 })).toEqual({ width: 1500, center: -600 });
    expect(windowOfRange({ lower: 5, upper: 5 }).width).toBe(1);
    expect(sameWindow({ width: 400.2, center: 49.9 }, { width: 400, center: 50 })).toBe(true);
    expect(sameWindow({ width: 402, center: 50 }, { width: 400, center: 50 })).toBe(false);
  });

  it('offers the four CT windows in HU, and histogram windows for every modality', () => {
    const ct = presetsFor('CT');
    expect(ct.map((preset) => [preset.id, preset.source.kind === 'fixed' ? preset.source.window : null])).toEqual([
      ['brain', { width: 80, center: 40 }],
      ['lung', { width: 1500, center: -600 }],
      ['abdomen', { width: 400, center: 50 }],
      ['bone', { width: 1800, center: 400 }],
      ['auto', null],
      ['full', null],
    ]);
    expect(presetsFor('MR').map((preset) => preset.id)).toEqual(['auto', 'full']);
    expect(presetsFor('mr').find((preset) => preset.id === 'auto')?.source).toEqual({ kind: 'percentiles', lower: 0.01, upper: 0.99 });
  });
});

describe('percentile window', () => {
  it('spans the 1st to the 99th percentile, ignoring a few outliers', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    values[0] = -50_000;
    values[999] = 90_000;
    const window = percentileWindow(values, 0.01, 0.99);
    expect(window).not.toBeNull();
    const { lower, upper } = rangeOfWindow(window ?? { width: 0, center: 0 });
    expect(lower).toBeCloseTo(10, 0);
    expect(upper).toBeCloseTo(989, 0);
  });

  it('spans everything for 0..1, skips non-finite values, and is null without data', () => {
    expect(percentileWindow([3, Number.NaN, 9, 1, Number.POSITIVE_INFINITY], 0, 1)).toEqual({ width: 8, center: 5 });
    expect(percentileWindow([], 0.01, 0.99)).toBeNull();
    expect(percentileWindow([Number.NaN], 0.01, 0.99)).toBeNull();
  });
});
