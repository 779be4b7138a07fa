import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discardBnStats, trainingContext } from '../../../src-main/ml/batchNorm';
import {
  activeChannelOpsPath,
  batchNormInference,
  batchNormTrain,
  biasAdd,
  channelOpsPathFor,
  channelOpsPaths,
  channelMean,
  channelSum,
  forceChannelOpsPath,
  maxPool2x2,
  type ChannelOpsPath,
} from '../../../src-main/ml/channelOps';
import { maskedCrossEntropy } from '../../../src-main/ml/crossEntropy';
import { leaky } from '../../../src-main/ml/layers';
import { createUNet } from '../../../src-main/ml/unet';
import { maxAbs, relativeError, useCpu } from './helpers';

beforeAll(useCpu);
afterEach(() => forceChannelOpsPath(null));

type Fn = (x: tf.Tensor, p: tf.Tensor, q: tf.Tensor) => tf.Tensor;

/** Value and gradients (w.r.t. all three inputs) of sum(f(...) * weights) on a given path. */
function valueAndGrads(path: ChannelOpsPath, f: Fn, inputs: tf.Tensor[], weights: tf.Tensor): { value: tf.Tensor; grads: tf.Tensor[] } {
  forceChannelOpsPath(path);
  const [x, p, q] = inputs;
  if (!x || !p || !q) throw new Error('inputs');
  return tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c).mul(weights).sum())([x, p, q]);
}

/** Both fast paths (CPU and WASM) against the stock ops: value and every gradient. */
async function expectPathsAgree(f: Fn, inputs: tf.Tensor[], outShape: number[], tolerance = 1e-4): Promise<void> {
  const weights = tf.randomNormal(outShape, 0, 1, 'float32', 9);
  const stock = valueAndGrads('stock', f, inputs, weights);
  for (const path of ['fast', 'wasm'] as const) {
    const fast = valueAndGrads(path, f, inputs, weights);
    expect(await relativeError(fast.value, stock.value), path).toBeLessThan(tolerance);
    for (let i = 0; i < stock.grads.length; i += 1) {
      const [a, b] = [fast.grads[i], stock.grads[i]];
      if (!a || !b) throw new Error('missing gradient');
      expect(await relativeError(a, b), `${path} gradient ${i}`).toBeLessThan(tolerance);
    }
    tf.dispose([fast.value, ...fast.grads]);
  }
  tf.dispose([weights, stock.value, ...stock.grads]);
}

describe('channel ops: the fast (CPU) and WASM paths equal the stock ops', () => {
  it('picks fast on cpu, wasm on wasm, stock elsewhere, and can be forced', () => {
    expect(channelOpsPathFor('cpu')).toBe('fast');
    expect(channelOpsPathFor('wasm')).toBe('wasm');
    expect(channelOpsPathFor('webgpu')).toBe('stock');
    expect(channelOpsPathFor('tensorflow')).toBe('stock');
    expect(activeChannelOpsPath()).toBe('fast');
    forceChannelOpsPath('stock');
    expect(activeChannelOpsPath()).toBe('stock');
  });

  it('channelSum (rank 4, rank 2, one row)', async () => {
    for (const shape of [[3, 5, 4, 6], [7, 6], [1, 6]]) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
      forceChannelOpsPath('stock');
      const stock = channelSum(x);
      for (const path of ['fast', 'wasm'] as const) {
        forceChannelOpsPath(path);
        const fast = channelSum(x);
        expect(fast.shape).toEqual([6]);
        expect(await relativeError(fast, stock), `${path} [${shape.join(', ')}]`).toBeLessThan(1e-5);
        fast.dispose();
      }
      tf.dispose([x, stock]);
    }
  });

  it('channelMean (rank 4, rank 2, one row)', async () => {
    for (const shape of [[3, 5, 4, 6], [7, 6], [1, 6]]) {
      const x = tf.randomNormal(shape, 2, 1, 'float32', 1);
      const expected = tf.mean(x, shape.slice(0, -1).map((_, i) => i));
      for (const path of ['stock', 'fast', 'wasm'] as const) {
        forceChannelOpsPath(path);
        const mean = channelMean(x);
        expect(mean.shape).toEqual([6]);
        expect(await relativeError(mean, expected), `${path} [${shape.join(', ')}]`).toBeLessThan(1e-5);
        mean.dispose();
      }
      tf.dispose([x, expected]);
    }
  });

  it('biasAdd (rank 4 and rank 2)', async () => {
    const x = tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([4], 0, 1, 'float32', 2);
    await expectPathsAgree((a, c, d) => biasAdd(a, c).add(d.sum()), [x, b, tf.scalar(0)], [2, 5, 3, 4]);
    const x2 = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
    await expectPathsAgree((a, c, d) => biasAdd(a, c).add(d.sum()), [x2, b, tf.scalar(0)], [3, 4]);
    tf.dispose([x, b, x2]);
  });

  it('batchNormTrain: value, dx, dgamma, dbeta and the batch moments', async () => {
    const x = tf.randomNormal([3, 6, 5, 4], 1.5, 2, 'float32', 1);
    const gamma = tf.randomNormal([4], 1, 0.3, 'float32', 2);
    const beta = tf.randomNormal([4], 0, 0.3, 'float32', 3);
    await expectPathsAgree((a, g, b) => batchNormTrain(a, g, b, 1e-5, () => undefined), [x, gamma, beta], [3, 6, 5, 4]);
    const moments: Record<ChannelOpsPath, tf.Tensor[]> = { fast: [], wasm: [], stock: [] };
    for (const path of channelOpsPaths) {
      forceChannelOpsPath(path);
      tf.tidy(() => {
        batchNormTrain(x, gamma, beta, 1e-5, ({ mean, variance }) => moments[path].push(tf.keep(mean), tf.keep(variance)));
      });
    }
    for (let i = 0; i < 2; i += 1) {
      expect(await relativeError(moments.fast[i]!, moments.stock[i]!)).toBeLessThan(1e-5);
      expect(await relativeError(moments.wasm[i]!, moments.stock[i]!)).toBeLessThan(1e-5);
    }
    tf.dispose([x, gamma, beta, ...moments.fast, ...moments.wasm, ...moments.stock]);
  });

  it('leaky (LeakyReLU 0.01): value and gradient, including x = 0', async () => {
    // About one entry in five exactly 0, where both define the gradient as dy * slope.
    const x = tf.tidy(() => tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 6).mul(tf.randomUniform([2, 5, 3, 4], 0, 1, 'float32', 7).greater(0.2).cast('float32')));
    await expectPathsAgree((a, b, c) => leaky(a).add(b.sum()).add(c.sum()), [x, tf.scalar(0), tf.scalar(0)], [2, 5, 3, 4], 1e-6);
    x.dispose();
  });

  it('batchNormInference equals tf.batchNorm on every path', async () => {
    const x = tf.randomNormal([3, 6, 5, 4], 1.5, 2, 'float32', 1);
    const [mean, variance, beta, gamma] = [tf.randomNormal([4], 1, 0.5, 'float32', 2), tf.randomUniform([4], 0.5, 3, 'float32', 3), tf.randomNormal([4], 0, 1, 'float32', 4), tf.randomNormal([4], 1, 0.3, 'float32', 5)];
    const expected = tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
    for (const path of channelOpsPaths) {
      forceChannelOpsPath(path);
      const y = batchNormInference(x, mean, variance, beta, gamma, 1e-5);
      expect(await relativeError(y, expected), path).toBeLessThan(1e-6);
      y.dispose();
    }
    tf.dispose([x, mean, variance, beta, gamma, expected]);
  });

  it('maxPool2x2 without ties (the fast gradient splits ties, see its comment)', async () => {
    const x = tf.randomNormal([2, 8, 6, 3], 0, 1, 'float32', 4);
    await expectPathsAgree((a, b, c) => maxPool2x2(a as tf.Tensor4D).add(b.sum()).add(c.sum()), [x, tf.scalar(0), tf.scalar(0)], [2, 4, 3, 3]);
    x.dispose();
  });

  it('maxPool2x2 with tied maxima keeps the total gradient per window', async () => {
    forceChannelOpsPath('fast');
    const x = tf.zeros([1, 4, 4, 1]);
    const dy = tf.randomNormal([1, 2, 2, 1], 0, 1, 'float32', 5);
    const [dx] = tf.grads((a: tf.Tensor) => maxPool2x2(a as tf.Tensor4D).mul(dy).sum())([x]);
    if (!dx) throw new Error('missing gradient');
    const windows = tf.tidy(() => tf.avgPool(dx as tf.Tensor4D, 2, 2, 'valid').mul(4));
    expect(await relativeError(windows, dy)).toBeLessThan(1e-6);
    tf.dispose([x, dy, dx, windows]);
  });

  it('a whole U-Net loss and every parameter gradient agree between paths', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 3 });
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const labels = tf.randomUniform([2, 32, 32], 0, 3, 'int32', 7) as tf.Tensor3D;
    const results: Record<ChannelOpsPath, { value: tf.Scalar; grads: tf.NamedTensorMap }> = {} as never;
    for (const path of channelOpsPaths) {
      forceChannelOpsPath(path);
      const ctx = trainingContext();
      results[path] = tf.variableGrads(() => maskedCrossEntropy(unet.logits(x, ctx), labels).loss, unet.params.trainableList());
      discardBnStats(ctx);
    }
    for (const path of ['fast', 'wasm'] as const) {
      const ours = results[path];
      expect(await relativeError(ours.value, results.stock.value), path).toBeLessThan(1e-5);
      for (const [name, v] of unet.params.trainable()) {
        const [a, b] = [ours.grads[v.name], results.stock.grads[v.name]];
        if (!a || !b) throw new Error(`missing gradient for ${name}`);
        // Conv biases before BN have an exactly-zero true gradient: compare those absolutely.
        if (/^(enc|dec)\d\.conv\d\.b$/.test(name)) expect(await maxAbs(a), `${path} ${name}`).toBeLessThan(1e-4);
        else expect(await relativeError(a, b), `${path} ${name}`).toBeLessThan(2e-3);
      }
    }
    tf.dispose(channelOpsPaths.flatMap((path) => [results[path].value, ...Object.values(results[path].grads)]));
    tf.dispose([x, labels]);
    unet.dispose();
  });
});
