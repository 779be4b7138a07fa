import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addBatchNorm, batchNorm, bnEpsilon, commitBnStats, discardBnStats, inferenceContext, trainingContext } from '../../../src-main/ml/batchNorm';
import { ParamStore } from '../../../src-main/ml/paramStore';
import { maxAbs, relativeError, useCpu } from './helpers';

beforeAll(useCpu);

describe('hand-written batch norm', () => {
  it('normalises with batch moments over N, H, W in training (biased variance)', async () => {
    const store = new ParamStore();
    addBatchNorm(store, 'bn', 3);
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([4, 5, 6, 3], 2, 3, 'float32', 1);
    const ctx = trainingContext();
    const y = batchNorm(store, 'bn', x, ctx);
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    expect(await maxAbs(mean)).toBeLessThan(1e-5);
    // Biased variance in the denominator: the output variance is var / (var + eps), ~1.
    expect(await maxAbs(() => variance.sub(1))).toBeLessThan(1e-4);
    expect(ctx.pending).toHaveLength(1);
    discardBnStats(ctx);
    tf.dispose([x, y, mean, variance]);
    expect(tf.memory().numTensors).toBe(before);
    store.dispose();
  });

  it('moves the running stats by momentum 0.1 towards the batch mean and UNBIASED variance (PyTorch), only on commit', async () => {
    const store = new ParamStore();
    addBatchNorm(store, 'bn', 2);
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]); // channel 0: 1,3,5,7; channel 1: 10..40
    const ctx = trainingContext();
    tf.dispose(batchNorm(store, 'bn', x, ctx));
    expect(await maxAbs(store.get('bn.mean'))).toBe(0); // not yet
    commitBnStats(store, ctx);
    expect(ctx.pending).toHaveLength(0);
    const mean = await store.get('bn.mean').data();
    const variance = await store.get('bn.var').data();
    expect(mean[0]).toBeCloseTo(0.1 * 4, 5);
    expect(mean[1]).toBeCloseTo(0.1 * 25, 5);
    // unbiased variance of 1,3,5,7 is 20/3; of 10..40 is 500/3
    expect(variance[0]).toBeCloseTo(0.9 + 0.1 * (20 / 3), 4);
    expect(variance[1]).toBeCloseTo(0.9 + 0.1 * (500 / 3), 3);
    x.dispose();
    store.dispose();
  });

  it('uses the running statistics in inference mode', async () => {
    const store = new ParamStore();
    addBatchNorm(store, 'bn', 2);
    store.get('bn.mean').assign(tf.tensor1d([1, -2]));
    store.get('bn.var').assign(tf.tensor1d([4, 9]));
    store.get('bn.gamma').assign(tf.tensor1d([2, 1]));
    store.get('bn.beta').assign(tf.tensor1d([0.5, 0]));
    const x = tf.tensor4d([3, 1], [1, 1, 1, 2]);
    const y = batchNorm(store, 'bn', x, inferenceContext());
    const expected = tf.tensor4d([2 * (2 / Math.sqrt(4 + bnEpsilon)) + 0.5, 3 / Math.sqrt(9 + bnEpsilon)], [1, 1, 1, 2]);
    expect(await relativeError(y, expected)).toBeLessThan(1e-6);
    tf.dispose([x, y, expected]);
    store.dispose();
  });

  it('refuses training on a single value per channel', () => {
    const store = new ParamStore();
    addBatchNorm(store, 'bn', 2);
    const x = tf.zeros([1, 1, 1, 2]);
    expect(() => batchNorm(store, 'bn', x, trainingContext())).toThrow(/more than one value per channel/);
    x.dispose();
    store.dispose();
  });
});
