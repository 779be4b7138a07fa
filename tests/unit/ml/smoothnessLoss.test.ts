import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { halfWindowOffsets, smoothnessLoss } from '../../../src-main/ml/smoothnessLoss';
import { useCpu } from './helpers';

/** Logits that give probability ~1 to class `classOf(x)` at column x. */
function sharpLogits(b: number, h: number, w: number, k: number, classOf: (x: number) => number): tf.Tensor4D {
  const values = new Float32Array(b * h * w * k);
  for (let i = 0; i < b * h * w; i += 1) values[i * k + classOf(i % w)] = 40;
  return tf.tensor4d(values, [b, h, w, k]);
}

/** An image whose left `split` columns are 0 and the rest `right`. */
function stepImage(b: number, h: number, w: number, split: number, right: number): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: b * h * w }, (_, i) => (i % w < split ? 0 : right)), [b, h, w, 1]);
}

describe('edge-aware smoothness loss', () => {
  beforeAll(useCpu);

  it('lists every pair of a radius-r window once', () => {
    expect(halfWindowOffsets(1)).toEqual([[0, 1], [1, 0]]);
    const r2 = halfWindowOffsets(2);
    expect(r2).toEqual([[0, 1], [0, 2], [1, -1], [1, 0], [1, 1], [2, 0]]);
    const keys = new Set(r2.map(([dy, dx]) => `${dy},${dx}`));
    expect(r2.some(([dy, dx]) => keys.has(`${-dy},${-dx}`))).toBe(false); // never both (d) and (-d)
    expect(() => halfWindowOffsets(0)).toThrow(/radius/);
  });

  it('is 1 - 1/K for uniform probabilities and 0 for one class everywhere', async () => {
    const image = tf.zeros([2, 6, 7, 1]) as tf.Tensor4D;
    const uniform = smoothnessLoss(tf.zeros([2, 6, 7, 4]) as tf.Tensor4D, image, null);
    expect((await uniform.data())[0]).toBeCloseTo(0.75, 5);
    const single = smoothnessLoss(sharpLogits(2, 6, 7, 3, () => 1), image, null);
    expect((await single.data())[0]).toBeCloseTo(0, 5);
  });

  it('costs nothing for a class change on a strong intensity edge, and a lot off the edge', async () => {
    const image = stepImage(1, 8, 8, 4, 1);
    const onEdge = await smoothnessLoss(sharpLogits(1, 8, 8, 2, (x) => (x < 4 ? 0 : 1)), image, null).data();
    const offEdge = await smoothnessLoss(sharpLogits(1, 8, 8, 2, (x) => (x < 2 ? 0 : 1)), image, null).data();
    expect(onEdge[0]).toBeLessThan(1e-6);
    expect(offEdge[0]).toBeGreaterThan(0.05);
  });

  it('ignores pairs touching padded pixels', async () => {
    const image = tf.zeros([1, 4, 6, 1]) as tf.Tensor4D;
    const logits = sharpLogits(1, 4, 6, 2, (x) => (x < 3 ? 0 : 1));
    const valid = tf.tensor4d(Float32Array.from({ length: 24 }, (_, i) => (i % 6 < 3 ? 1 : 0)), [1, 4, 6, 1]);
    expect((await smoothnessLoss(logits, image, valid).data())[0]).toBeCloseTo(0, 6);
    expect((await smoothnessLoss(logits, image, null).data())[0]).toBeGreaterThan(0.1);
  });

  it('sends gradients to the logits and rejects mismatched shapes', () => {
    const image = stepImage(1, 5, 5, 2, 0.05);
    const grad = tf.grad((l: tf.Tensor) => smoothnessLoss(l as tf.Tensor4D, image, null))(tf.randomNormal([1, 5, 5, 3], 0, 1, 'float32', 1));
    expect(grad.shape).toEqual([1, 5, 5, 3]);
    expect(grad.abs().sum().arraySync()).toBeGreaterThan(0);
    expect(() => smoothnessLoss(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([1, 5, 4, 1]) as tf.Tensor4D, null)).toThrow(/do not match/);
  });
});
