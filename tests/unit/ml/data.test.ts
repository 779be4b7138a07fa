import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeIntensities, percentiles } from '../../../src-main/ml/normalize';
import { resizeImages, resizeLabels } from '../../../src-main/ml/resample';
import { createSliceSampler } from '../../../src-main/ml/sliceSampler';
import { checkVolume, slicePosition, slicesTensor, type Volume } from '../../../src-main/ml/volume';
import { maxAbs, useCpu } from './helpers';

beforeAll(useCpu);

function rampVolume(width: number, height: number, depth: number, offset = 0): Volume {
  const data = new Float32Array(width * height * depth);
  for (let z = 0; z < depth; z += 1) data.fill(z + offset, z * width * height, (z + 1) * width * height);
  return { data, width, height, depth };
}

describe('intensity normalisation', () => {
  it('computes percentiles like numpy (linear interpolation)', () => {
    const data = Array.from({ length: 101 }, (_, i) => i); // 0..100
    expect(percentiles(data, [0, 1, 50, 99, 100])).toEqual([0, 1, 50, 99, 100]);
    expect(percentiles([1, 2, 3, 4], [50])[0]).toBeCloseTo(2.5, 10);
    expect(() => percentiles([1], [101])).toThrow(/not in \[0, 100\]/);
    expect(() => percentiles([NaN], [50])).toThrow(/no finite value/);
  });

  it('clips to [p1, p99] and maps that range to [0, 1]; NaN -> 0; constant -> 0', () => {
    const data = Float32Array.from({ length: 1001 }, (_, i) => i - 500); // -500..500, p1 = -490, p99 = 490
    data[3] = NaN;
    const out = normalizeIntensities(data);
    expect(out[0]).toBe(0); // clipped
    expect(out[1000]).toBe(1); // clipped
    expect(out[500]).toBeCloseTo(0.5, 2); // not exactly: the NaN voxel is left out of the percentiles
    expect(out[3]).toBe(0);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
    expect(Array.from(normalizeIntensities(new Float32Array(10).fill(7)))).toEqual(new Array(10).fill(0));
    expect(() => normalizeIntensities(data, { low: 99, high: 1 })).toThrow(/low/);
  });

  it('estimates percentiles from a strided sample for large volumes', () => {
    const big = Float32Array.from({ length: 4_000_000 }, (_, i) => i % 1000);
    const [p1, p99] = percentiles(big, [1, 99], 1 << 16);
    expect(p1).toBeCloseTo(10, -1);
    expect(p99).toBeCloseTo(989, -1);
  });
});

describe('volumes and slices', () => {
  it('checks dimensions and slices [count, H, W, C]', async () => {
    const v = rampVolume(3, 2, 4);
    expect(() => checkVolume({ ...v, depth: 5 }, 'test')).toThrow(/needs 30/);
    expect(() => checkVolume({ ...v, width: 0 }, 'test')).toThrow(/width must be a positive integer/);
    const t = slicesTensor(v, 1, 2);
    expect(t.shape).toEqual([2, 2, 3, 1]);
    expect(Array.from(await t.data())).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(() => slicesTensor(v, 3, 2)).toThrow(/outside 0..3/);
    expect(slicePosition(0, 4)).toBe(0.25);
    expect(slicePosition(3, 4)).toBe(1);
    t.dispose();
  });
});

describe('slice sampler', () => {
  it('mixes depths (stratified), reports p = (k+1)/n, resamples to the training size, and is seeded', async () => {
    const volumes = [rampVolume(20, 10, 10, 0), rampVolume(8, 8, 40, 100)];
    const sampler = createSliceSampler(volumes, { size: 16, seed: 3 });
    expect(sampler.slices).toBe(50);
    const batch = sampler.sample(8);
    expect(batch.images.shape).toEqual([8, 16, 16, 1]);
    batch.picks.forEach((pick, i) => {
      const depth = volumes[pick.volume]!.depth;
      expect(batch.positions[i]).toBeCloseTo((pick.slice + 1) / depth, 10);
      // Stratified: draw i aims at [i/8, (i+1)/8).
      expect(pick.slice / depth).toBeGreaterThanOrEqual(i / 8 - 1 / depth);
      expect(pick.slice / depth).toBeLessThan((i + 1) / 8);
    });
    const values = await batch.images.data();
    batch.picks.forEach((pick, i) => {
      const expected = pick.slice + (pick.volume === 0 ? 0 : 100); // constant slices survive resampling exactly
      expect(values[i * 256]).toBeCloseTo(expected, 4);
    });
    const again = createSliceSampler(volumes, { size: 16, seed: 3 }).pick(8);
    expect(again).toEqual(batch.picks);
    batch.images.dispose();
    expect(() => createSliceSampler([], { size: 16 })).toThrow(/no volumes/);
  });
});

describe('resampling', () => {
  it('keeps constants, round-trips a smooth image, and keeps label values', async () => {
    const x = tf.tidy(() => tf.linspace(0, 1, 12).reshape([1, 1, 12, 1]).tile([1, 12, 1, 1])) as tf.Tensor4D;
    const up = resizeImages(x, [24, 24]);
    const back = resizeImages(up, [12, 12]);
    expect(up.shape).toEqual([1, 24, 24, 1]);
    expect(await maxAbs(() => back.sub(x))).toBeLessThan(0.05);
    const labels = tf.tensor3d([0, 1, 2, 3], [1, 2, 2], 'int32');
    const bigger = resizeLabels(labels, [4, 4]);
    expect(Array.from(await bigger.data())).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
    expect(bigger.dtype).toBe('int32');
    tf.dispose([x, up, back, labels, bigger]);
  });

  it('keeps a thin stroke when shrinking labels: each pixel takes the most frequent stroked value under it, -1 only where nothing is stroked', () => {
    // A one-voxel-wide vertical stroke (2) in column 4 of a 9x9 slice, a background stroke (0) in row 7, everything else unlabelled.
    const values = new Int32Array(81).fill(-1);
    for (let y = 0; y < 6; y += 1) values[y * 9 + 4] = 2;
    for (let x = 0; x < 9; x += 1) values[7 * 9 + x] = 0;
    const labels = tf.tensor3d(values, [1, 9, 9], 'int32');
    const small = resizeLabels(labels, [3, 3]);
    // Nearest sampling at 3x3 reads input rows/columns 1, 4, 7: it would keep the stroke only by luck of the column.
    expect(Array.from(small.dataSync())).toEqual([-1, 2, -1, -1, 2, -1, 0, 0, 0]);
    const odd = resizeLabels(tf.tensor3d(Int32Array.from({ length: 16 }, (_, i) => (i === 5 ? 1 : -1)), [1, 4, 4], 'int32'), [2, 2]);
    expect(Array.from(odd.dataSync())).toEqual([1, -1, -1, -1]);
    tf.dispose([labels, small, odd]);
  });
});
