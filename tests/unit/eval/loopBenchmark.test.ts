/**
 * The parts of `macl bench-loop` a reader of its figures relies on: which
 * slices the scripted radiologist paints (spread, distinct, later rounds
 * between earlier ones), that its strokes mark each structure present on the
 * slice and background around it without touching other slices, and the
 * percentiles it reports. The whole loop runs against the real trainer in
 * the interactive-loop tests; here only the script is checked.
 */
import { describe, expect, it } from 'vitest';
import { paintedSlices, percentile, strokesOnSlice } from '../../../src-main/eval/loopBenchmark';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { backgroundStrokeValue } from '../../../src-main/shared/contract/labels';

describe('bench-loop script', () => {
  it('paints 3 slices at 20/50/80 % of the volume, then 2 between them, all distinct', () => {
    expect(paintedSlices(65, [3, 2])).toEqual([[13, 32, 51], [22, 42]]);
    const many = paintedSlices(8, [4, 4]).flat();
    expect(new Set(many).size).toBe(8);
    expect(paintedSlices(64, [1])).toEqual([[32]]);
  });

  it('paints only slices that hold a structure when told which (small structures fill a few slices of a real scan)', () => {
    const labelled = Array.from({ length: 11 }, (_, i) => 60 + i);
    const painted = paintedSlices(181, [3, 2], labelled);
    expect(painted).toEqual([[62, 65, 68], [64, 66]]);
    expect(() => paintedSlices(181, [3, 2], [60, 61])).toThrow(/5 painted slices do not fit in 2 slices that hold a structure/);
  });

  it('refuses rounds that do not fit or are not positive', () => {
    expect(() => paintedSlices(4, [3, 2])).toThrow(/5 painted slices do not fit in 4 slices/);
    expect(() => paintedSlices(10, [0])).toThrow(/positive integers/);
    expect(() => paintedSlices(10, [])).toThrow(/positive integers/);
  });

  it('strokes each structure present on the slice (inside it) and background outside, on that slice only', () => {
    const phantom = generatePhantom({ size: 64, slices: 16, seed: 4 });
    const plane = 64 * 64;
    const k = 8;
    const strokes = strokesOnSlice(phantom, k);
    const present = new Set<number>();
    for (let i = k * plane; i < (k + 1) * plane; i++) if (phantom.truth[i] !== 0) present.add(phantom.truth[i] as number);
    expect(present.size).toBeGreaterThan(0);
    const painted = new Set<number>();
    for (const [index, value] of strokes) {
      expect(Math.floor(index / plane)).toBe(k);
      if (value === backgroundStrokeValue) expect(phantom.truth[index]).toBe(0);
      else {
        expect(phantom.truth[index]).toBe(value);
        painted.add(value);
      }
    }
    expect([...painted].sort()).toEqual([...present].sort());
    expect([...strokes.values()].filter((v) => v === backgroundStrokeValue).length).toBeGreaterThan(0);
  });

  it('reports nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('bench-loop on a real volume', () => {
  it('strokes the labels it is given, whatever their values, on that slice only', () => {
    const phantom = generatePhantom({ size: 64, slices: 16, seed: 4 });
    // A real truth's labels need not be the phantom's 1..3.
    const truth = phantom.truth.map((v) => (v === 0 ? 0 : v + 40));
    const volume = { width: 64, height: 64, depth: 16, truth };
    const k = 8;
    const strokes = strokesOnSlice(volume, k, [41, 42, 43]);
    const values = new Set(strokes.values());
    expect([...values].filter((v) => v !== backgroundStrokeValue).every((v) => v >= 41 && v <= 43)).toBe(true);
    expect(values.size).toBeGreaterThan(1);
    for (const index of strokes.keys()) expect(Math.floor(index / (64 * 64))).toBe(k);
    expect(strokesOnSlice(volume, k, [7]).size).toBe(0);
  });
});
