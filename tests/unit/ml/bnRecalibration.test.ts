import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recalibrateBatchNorm, restoreStatistics, spreadIndices, statisticsOf } from '../../../src-main/ml/bnRecalibration';
import { conv } from '../../../src-main/ml/layers';
import { createUNet } from '../../../src-main/ml/unet';
import type { Volume } from '../../../src-main/ml/volume';
import { useCpu } from './helpers';

beforeAll(useCpu);

/** 16 x 16 slices whose brightness rises with z: the top slices look nothing like the bottom ones. */
function rampVolume(depth: number): Volume {
  const data = new Float32Array(16 * 16 * depth);
  for (let z = 0; z < depth; z += 1) for (let i = 0; i < 256; i += 1) data[z * 256 + i] = (z / depth) * (0.5 + 0.5 * Math.sin(i * 0.37 + z));
  return { data, width: 16, height: 16, depth };
}

describe('batch-norm recalibration on the volume', () => {
  it('spreads slice indices evenly and takes every slice when asked for more', () => {
    expect(spreadIndices(10, 4)).toEqual([1, 3, 6, 8]);
    expect(spreadIndices(3, 8)).toEqual([0, 1, 2]);
  });

  it("sets the first layer's running statistics to the moments of its input over every slice, leaving the weights and no tensors behind", async () => {
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    const volume = rampVolume(10);
    const weights = await unet.params.get('enc1.conv1.w').data();
    const before = tf.memory().numTensors;
    // Batches of 4 over 10 slices: 4 + 4 + 2; the pooled moments must equal those of all 10 at once.
    await recalibrateBatchNorm(unet, volume, { size: 16, slices: 10, batch: 4 });
    expect(tf.memory().numTensors).toBe(before);
    const expected = tf.tidy(() => {
      const x = tf.tensor4d(volume.data, [10, 16, 16, 1]);
      const { mean, variance } = tf.moments(conv(unet.params, 'enc1.conv1', x), [0, 1, 2]);
      const n = 10 * 16 * 16;
      return [mean, tf.mul(variance, n / (n - 1))];
    });
    const [mean, variance] = await Promise.all(expected.map((t) => t.data()));
    const runningMean = await unet.params.get('enc1.bn1.mean').data();
    const runningVar = await unet.params.get('enc1.bn1.var').data();
    for (let c = 0; c < 4; c += 1) {
      expect(runningMean[c]).toBeCloseTo(mean?.[c] ?? NaN, 4);
      expect(runningVar[c]).toBeCloseTo(variance?.[c] ?? NaN, 4);
    }
    // The deepest layers were recalibrated too (they start at mean 0, var 1).
    expect(Math.abs((await unet.params.get('dec4.bn2.var').data())[0] ?? 1)).not.toBeCloseTo(1, 3);
    expect(Array.from(await unet.params.get('enc1.conv1.w').data())).toEqual(Array.from(weights));
    tf.dispose(expected);
    unet.dispose();
  });

  it('differs from statistics of the bright slices alone (what training on stroked slices leaves)', async () => {
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    const volume = rampVolume(12);
    const top = { ...volume, data: volume.data.subarray(8 * 256), depth: 4 };
    await recalibrateBatchNorm(unet, top, { size: 16, slices: 4 });
    const topMean = Array.from(await unet.params.get('enc1.bn1.mean').data());
    await recalibrateBatchNorm(unet, volume, { size: 16, slices: 12 });
    const wholeMean = Array.from(await unet.params.get('enc1.bn1.mean').data());
    expect(Math.max(...topMean.map((m, c) => Math.abs(m - (wholeMean[c] ?? 0))))).toBeGreaterThan(1e-3);
    unet.dispose();
  });

  it('takes the statistics of the region of interest the network sees, as if the volume were cropped to it', async () => {
    const volume = rampVolume(6);
    const box = { x0: 4, y0: 2, width: 8, height: 8 };
    const cropped = new Float32Array(8 * 8 * 6);
    for (let z = 0; z < 6; z += 1) for (let y = 0; y < 8; y += 1) for (let x = 0; x < 8; x += 1) cropped[(z * 8 + y) * 8 + x] = volume.data[(z * 16 + y + 2) * 16 + x + 4] ?? NaN;
    const means = async (v: Volume, roi: typeof box | null): Promise<number[]> => {
      const unet = createUNet({ classes: 2, width: 4, seed: 3 });
      await recalibrateBatchNorm(unet, v, { size: 16, slices: 6, roi });
      const mean = Array.from(await unet.params.get('enc1.bn1.mean').data());
      unet.dispose();
      return mean;
    };
    const inBox = await means(volume, box);
    const ofCrop = await means({ data: cropped, width: 8, height: 8, depth: 6 }, null);
    inBox.forEach((m, c) => expect(m).toBeCloseTo(ofCrop[c] ?? NaN, 5));
    const whole = await means(volume, null);
    expect(Math.max(...inBox.map((m, c) => Math.abs(m - (whole[c] ?? 0))))).toBeGreaterThan(1e-3);
    // A box that is the whole slice is the same as none.
    expect(await means(volume, { x0: 0, y0: 0, width: 16, height: 16 })).toEqual(whole);
  });

  it('samples only the slices of a given range, as if the volume were those slices alone, and rejects a range outside it', async () => {
    const volume = rampVolume(12);
    const means = async (v: Volume, sliceRange: readonly [number, number] | null): Promise<number[]> => {
      const unet = createUNet({ classes: 2, width: 4, seed: 3 });
      await recalibrateBatchNorm(unet, v, { size: 16, slices: 4, sliceRange });
      const mean = Array.from(await unet.params.get('enc1.bn1.mean').data());
      unet.dispose();
      return mean;
    };
    const inRange = await means(volume, [6, 11]);
    const ofSlab = await means({ ...volume, data: volume.data.subarray(6 * 256), depth: 6 }, null);
    inRange.forEach((m, c) => expect(m).toBeCloseTo(ofSlab[c] ?? NaN, 5));
    const whole = await means(volume, null);
    expect(Math.max(...inRange.map((m, c) => Math.abs(m - (whole[c] ?? 0))))).toBeGreaterThan(1e-3);
    expect(await means(volume, [0, 11])).toEqual(whole);
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    await expect(recalibrateBatchNorm(unet, volume, { size: 16, sliceRange: [5, 12] })).rejects.toThrow(/sliceRange must lie in 0..11/);
    await expect(recalibrateBatchNorm(unet, volume, { size: 16, sliceRange: [7, 6] })).rejects.toThrow(/sliceRange/);
    unet.dispose();
  });

  it('copies the running statistics alone and puts them back, freeing the copies', async () => {
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    const before = tf.memory().numTensors;
    const copies = statisticsOf(unet);
    expect([...copies.keys()].every((name) => name.endsWith('.mean') || name.endsWith('.var'))).toBe(true);
    expect(copies.has('enc1.bn1.mean') && copies.has('dec4.bn2.var')).toBe(true);
    const mean = Array.from(await unet.params.get('enc1.bn1.mean').data());
    await recalibrateBatchNorm(unet, rampVolume(8), { size: 16, slices: 8 });
    expect(Array.from(await unet.params.get('enc1.bn1.mean').data())).not.toEqual(mean);
    restoreStatistics(unet, copies);
    expect(Array.from(await unet.params.get('enc1.bn1.mean').data())).toEqual(mean);
    expect(tf.memory().numTensors).toBe(before);
    unet.dispose();
  });

  it('rejects a batch of one slice', async () => {
    const unet = createUNet({ classes: 2, width: 4, seed: 3 });
    await expect(recalibrateBatchNorm(unet, rampVolume(4), { size: 16, batch: 1 })).rejects.toThrow(/batch must be an integer >= 2/);
    unet.dispose();
  });
});
