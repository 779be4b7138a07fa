import { describe, expect, it } from 'vitest';
import {
  applyRuns,
  checkRuns,
  decodeRuns,
  runsFromBytes,
  runsFromChanges,
  runsFromLayer,
  runsToBytes,
  runsVoxelCount,
} from '../../../src-main/shared/labels/labelRuns';

describe('label runs', () => {
  it('round-trips a sparse layer through runs and bytes', () => {
    const layer = new Uint8Array(4096);
    layer.fill(3, 10, 40);
    layer.fill(255, 40, 42);
    layer[4095] = 1;
    const runs = runsFromLayer(layer);
    expect(Array.from(runs.starts)).toEqual([10, 40, 4095]);
    expect(Array.from(runs.lengths)).toEqual([30, 2, 1]);
    expect(Array.from(runs.values)).toEqual([3, 255, 1]);
    expect(runsVoxelCount(runs)).toBe(33);
    const restored = new Uint8Array(4096);
    applyRuns(restored, decodeRuns(runsToBytes(runs), 4096));
    expect(restored).toEqual(layer);
    expect(runsFromBytes(runsToBytes(runs))).toEqual(runs);
  });

  it('encodes changes including erasures (value 0) and merges neighbours', () => {
    const runs = runsFromChanges(Uint32Array.from([5, 6, 7, 9, 10]), Uint8Array.from([2, 2, 0, 0, 0]));
    expect(Array.from(runs.starts)).toEqual([5, 7, 9]);
    expect(Array.from(runs.lengths)).toEqual([2, 1, 2]);
    const layer = new Uint8Array(12).fill(4);
    applyRuns(layer, runs);
    expect(Array.from(layer)).toEqual([4, 4, 4, 4, 4, 2, 2, 0, 4, 0, 0, 4]);
  });

  it('refuses unordered changes and runs that do not fit the volume, writing nothing', () => {
    expect(() => runsFromChanges(Uint32Array.from([3, 3]), Uint8Array.from([1, 1]))).toThrow(/must increase/);
    const runs = runsFromChanges(Uint32Array.from([2, 9]), Uint8Array.from([1, 1]));
    const layer = new Uint8Array(9);
    expect(() => applyRuns(layer, runs)).toThrow(/past the volume's 9 voxels/);
    expect(layer.every((value) => value === 0)).toBe(true);
    expect(() => checkRuns({ starts: Uint32Array.from([4, 2]), lengths: Uint32Array.from([1, 1]), values: Uint8Array.from([1, 1]) }, 10)).toThrow(/before the end/);
    expect(() => runsFromBytes(new Uint8Array(10))).toThrow(/9 bytes each/);
  });
});
