import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceContext } from '../../../src-main/ml/batchNorm';
import { nativeBatch, segmentVolume } from '../../../src-main/ml/inference';
import { createRng } from '../../../src-main/ml/random';
import { resizeImages } from '../../../src-main/ml/resample';
import { createUNet } from '../../../src-main/ml/unet';
import type { Volume } from '../../../src-main/ml/volume';
import { useCpu } from './helpers';

beforeAll(useCpu);

function noiseVolume(width: number, height: number, depth: number, seed: number): Volume {
  const rng = createRng(seed);
  return { data: Float32Array.from({ length: width * height * depth }, () => rng.next()), width, height, depth };
}

describe('segmentVolume', () => {
  it('returns uint8 labels and winning probabilities on the input grid, batch by batch', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 3 });
    const volume = noiseVolume(40, 30, 5, 1);
    const before = tf.memory().numTensors;
    const progress: Array<[number, number]> = [];
    const result = await segmentVolume(unet, volume, { size: 32, batch: 2, probabilities: true, onProgress: (done, total) => progress.push([done, total]) });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([[2, 5], [4, 5], [5, 5]]);
    expect(result.labels).toBeInstanceOf(Uint8Array);
    expect(result.labels.length).toBe(40 * 30 * 5);
    expect(result.probability?.length).toBe(40 * 30 * 5);
    expect(Math.max(...result.labels)).toBeLessThan(3);
    const probs = result.probability ?? new Float32Array();
    expect(Math.min(...probs)).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
    expect(Math.max(...probs)).toBeLessThanOrEqual(1 + 1e-6);

    // Slice 4 by hand: resample to 32x32, logits with running stats, softmax, resample back, argmax.
    const [expected, expectedP] = tf.tidy(() => {
      const slice = tf.tensor4d(volume.data.subarray(4 * 1200, 5 * 1200), [1, 30, 40, 1]);
      const probsBack = resizeImages(tf.softmax(unet.logits(resizeImages(slice, [32, 32]), inferenceContext())), [30, 40]);
      return [tf.argMax(probsBack, 3), tf.max(probsBack, 3)];
    });
    expect(Array.from(result.labels.subarray(4 * 1200))).toEqual(Array.from(await expected!.data()));
    expect(Array.from(probs.subarray(4 * 1200))).toEqual(Array.from(await expectedP!.data()));
    tf.dispose([expected!, expectedP!]);
    const noProb = await segmentVolume(unet, volume, { size: 32 });
    expect(noProb.probability).toBeUndefined();
    expect(Array.from(noProb.labels)).toEqual(Array.from(result.labels));
    unet.dispose();
  });

  it('checks its arguments and can be stopped between batches', async () => {
    const unet = createUNet({ classes: 2, width: 2 });
    const volume = noiseVolume(16, 16, 4, 2);
    await expect(segmentVolume(unet, volume, { size: 24 })).rejects.toThrow(/size must be a positive multiple of 16, got 24/);
    await expect(segmentVolume(unet, { ...volume, channels: 2, data: new Float32Array(16 * 16 * 4 * 2) }, { size: 16 })).rejects.toThrow(/2 channels, the model expects 1/);
    await expect(segmentVolume(unet, { ...volume, depth: 3 }, { size: 16 })).rejects.toThrow(/needs 768/);
    let calls = 0;
    await expect(segmentVolume(unet, volume, { size: 16, batch: 1, shouldStop: () => ++calls > 2 })).rejects.toMatchObject({ name: 'AbortError' });
    unet.dispose();
  });
});

describe('segmentVolume at native resolution', () => {
  it('segments whole slices of any size on their own grid (padded to 16, cropped back), equal to the network run by hand', async () => {
    const unet = createUNet({ classes: 2, width: 2, seed: 5 });
    const volume = noiseVolume(37, 21, 3, 2);
    const before = tf.memory().numTensors;
    const result = await segmentVolume(unet, volume, { size: 16, native: true, batch: 2, probabilities: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.labels.length).toBe(37 * 21 * 3);
    const expected = tf.tidy(() => {
      const slice = tf.tensor4d(volume.data.subarray(2 * 777, 3 * 777), [1, 21, 37, 1]);
      const padded = tf.pad(slice, [[0, 0], [0, 11], [0, 11], [0, 0]]);
      return tf.argMax(tf.slice(tf.softmax(unet.logits(padded, inferenceContext())), [0, 0, 0, 0], [1, 21, 37, 2]), 3);
    });
    expect(Array.from(result.labels.subarray(2 * 777))).toEqual(Array.from(await expected.data()));
    expected.dispose();
    unet.dispose();
  });

  it('caps the slices per pass on large slices', () => {
    expect(nativeBatch(8, 128, 128, 16)).toBe(8);
    expect(nativeBatch(8, 512, 512, 32)).toBe(2);
    expect(nativeBatch(8, 2048, 2048, 64)).toBe(1);
  });
});

describe('segmentVolume in a region of interest, with class weights', () => {
  it('segments only the box (resized as training resized it), background outside, the same as the crop run alone', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 7 });
    const volume = noiseVolume(40, 30, 3, 4);
    const box = { x0: 6, y0: 4, width: 20, height: 20 };
    const before = tf.memory().numTensors;
    const result = await segmentVolume(unet, volume, { size: 16, batch: 2, roi: box, probabilities: true });
    expect(tf.memory().numTensors).toBe(before);
    // The crop as a volume of its own, segmented whole.
    const crop = new Float32Array(20 * 20 * 3);
    for (let z = 0; z < 3; z += 1) for (let y = 0; y < 20; y += 1) crop.set(volume.data.subarray(z * 1200 + (y + 4) * 40 + 6, z * 1200 + (y + 4) * 40 + 26), (z * 20 + y) * 20);
    const alone = await segmentVolume(unet, { data: crop, width: 20, height: 20, depth: 3 }, { size: 16, batch: 2 });
    for (let z = 0; z < 3; z += 1) for (let y = 0; y < 30; y += 1) for (let x = 0; x < 40; x += 1) {
      const inside = x >= 6 && x < 26 && y >= 4 && y < 24;
      const got = result.labels[z * 1200 + y * 40 + x];
      expect(got).toBe(inside ? alone.labels[(z * 20 + y - 4) * 20 + x - 6] : 0);
      if (!inside) expect(result.probability?.[z * 1200 + y * 40 + x]).toBe(1);
    }
    // A box that is the whole slice is no box.
    const whole = await segmentVolume(unet, volume, { size: 16, roi: { x0: 0, y0: 0, width: 40, height: 30 } });
    expect(Array.from(whole.labels)).toEqual(Array.from((await segmentVolume(unet, volume, { size: 16 })).labels));
    await expect(segmentVolume(unet, volume, { size: 16, roi: { x0: 30, y0: 0, width: 20, height: 20 } })).rejects.toThrow(/not inside the 40x30 slice/);
    await expect(segmentVolume(unet, volume, { size: 16, native: true, roi: box })).rejects.toThrow(/need resized slices/);
    unet.dispose();
  });

  it('multiplies the class probabilities by the weights before the argmax', async () => {
    const unet = createUNet({ classes: 2, width: 2, seed: 9 });
    const volume = noiseVolume(16, 16, 2, 6);
    const plain = await segmentVolume(unet, volume, { size: 16, probabilities: true });
    const boosted = await segmentVolume(unet, volume, { size: 16, probabilities: true, classWeights: [1, 3] });
    const p = plain.probability ?? new Float32Array();
    for (let i = 0; i < plain.labels.length; i += 1) {
      // Probability of class 1 in the plain run, then its weighted share.
      const p1 = plain.labels[i] === 1 ? (p[i] ?? 0) : 1 - (p[i] ?? 0);
      const w1 = (3 * p1) / (3 * p1 + (1 - p1));
      expect(boosted.labels[i]).toBe(w1 > 0.5 ? 1 : 0);
      expect(boosted.probability?.[i]).toBeCloseTo(Math.max(w1, 1 - w1), 5);
    }
    await expect(segmentVolume(unet, volume, { size: 16, classWeights: [1] })).rejects.toThrow(/2 positive class weights/);
    unet.dispose();
  });
});
