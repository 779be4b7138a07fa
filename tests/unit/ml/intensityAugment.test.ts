import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentIntensity } from '../../../src-main/ml/intensityAugment';
import { createRng } from '../../../src-main/ml/random';
import { maxAbs, useCpu } from './helpers';

beforeAll(useCpu);

describe('augmentIntensity', () => {
  it('is the identity with neutral ranges, and changes each image differently otherwise, leaking nothing', async () => {
    const images = tf.tidy(() => tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D);
    const before = tf.memory().numTensors;
    const same = augmentIntensity(images, createRng(1), { gamma: [1, 1], contrast: [1, 1], brightness: 0, noise: 0 });
    expect(await maxAbs(() => same.sub(images))).toBeLessThan(1e-6);
    const changed = augmentIntensity(images, createRng(1));
    const again = augmentIntensity(images, createRng(1));
    expect(await maxAbs(() => changed.sub(again))).toBe(0); // seeded: the same draw
    const perImage = tf.tidy(() => tf.mean(tf.abs(changed.sub(images)), [1, 2, 3]));
    const deltas = await perImage.data();
    perImage.dispose();
    expect(Math.min(...deltas)).toBeGreaterThan(0);
    expect(new Set(Array.from(deltas).map((d) => d.toFixed(4))).size).toBe(3);
    tf.dispose([same, changed, again]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => augmentIntensity(images, createRng(1), { gamma: [2, 1] })).toThrow(/ordered/);
    images.dispose();
  });
});
