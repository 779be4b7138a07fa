import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2dFast,
  conv2dForward,
  conv2dInputGradViaForward,
  conv2dFilterGradViaForward,
  conv2dSame,
  conv2dStock,
  convGradPathFor,
} from '../../../src-main/ml/conv2dFastGrad';

// Test mode: tfjs checks every kernel for leaked buffers and skips its "install tfjs-node" banner.
tf.env().set('IS_TEST', true);

/** Largest |a - b| relative to the largest |b| (so tiny entries do not dominate). */
async function relativeError(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [diff, scale] = await Promise.all([a.sub(b).abs().max().data(), b.abs().max().data()]);
  return (diff[0] ?? Infinity) / Math.max(scale[0] ?? 0, 1e-12);
}

interface Case {
  readonly batch: number;
  readonly h: number;
  readonly w: number;
  readonly cin: number;
  readonly cout: number;
  readonly k: number;
}

const cases: Case[] = [
  { batch: 1, h: 7, w: 9, cin: 1, cout: 2, k: 3 },
  { batch: 3, h: 7, w: 9, cin: 5, cout: 8, k: 3 },
  { batch: 3, h: 5, w: 4, cin: 5, cout: 2, k: 1 },
  { batch: 1, h: 9, w: 7, cin: 1, cout: 8, k: 1 },
  { batch: 3, h: 1, w: 1, cin: 5, cout: 8, k: 3 },
];

describe('conv2dFast', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  const variants = cases.flatMap((c) => [
    { ...c, variant: 'fast' as const },
    { ...c, variant: 'forward' as const },
  ]);
  it.each(variants)('matches the stock value and gradients for %o', async ({ batch, h, w, cin, cout, k, variant }) => {
    const custom = variant === 'fast' ? conv2dFast : conv2dForward;
    const x = tf.randomNormal<tf.Rank.R4>([batch, h, w, cin], 0, 1, 'float32', 1);
    const filter = tf.randomNormal<tf.Rank.R4>([k, k, cin, cout], 0, 1, 'float32', 2);
    // A non-uniform upstream gradient, so a transposed index shows up as a mismatch.
    const weights = tf.randomNormal<tf.Rank.R4>([batch, h, w, cout], 0, 1, 'float32', 3);
    const lossOf = (conv: typeof conv2dFast) => (a: tf.Tensor, b: tf.Tensor) => conv(a as tf.Tensor4D, b as tf.Tensor4D).mul(weights).sum();

    const fast = tf.valueAndGrads(lossOf(custom))([x, filter]);
    const stock = tf.valueAndGrads(lossOf(conv2dStock))([x, filter]);
    const [fastDx, fastDw] = fast.grads;
    const [stockDx, stockDw] = stock.grads;
    if (!fastDx || !fastDw || !stockDx || !stockDw) throw new Error('missing gradients');

    expect(fastDw.shape).toEqual([k, k, cin, cout]);
    expect(fastDx.shape).toEqual([batch, h, w, cin]);
    expect(await relativeError(fast.value, stock.value)).toBeLessThan(1e-4);
    expect(await relativeError(fastDw, stockDw)).toBeLessThan(1e-4);
    expect(await relativeError(fastDx, stockDx)).toBeLessThan(1e-4);
    tf.dispose([x, filter, weights, fast.value, stock.value, ...fast.grads, ...stock.grads]);
  });

  it('agrees with tf.grads on tf.conv2d directly', async () => {
    const x = tf.randomNormal<tf.Rank.R4>([3, 7, 9, 5], 0, 1, 'float32', 4);
    const dy = tf.randomNormal<tf.Rank.R4>([3, 7, 9, 8], 0, 1, 'float32', 5);
    const filter = tf.zeros<tf.Rank.R4>([3, 3, 5, 8]);
    const [, stockDw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').mul(dy).sum())([x, filter]);
    const viaForward = conv2dFilterGradViaForward(x, dy, 3);
    if (!stockDw) throw new Error('missing gradient');
    expect(await relativeError(viaForward, stockDw)).toBeLessThan(1e-4);
    tf.dispose([x, dy, filter, stockDw, viaForward]);
  });

  it('leaks no tensors across training-like steps', () => {
    const x = tf.randomNormal<tf.Rank.R4>([2, 6, 6, 3], 0, 1, 'float32', 6);
    const filter = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 3, 4], 0, 1, 'float32', 7));
    const step = (): void => {
      const { value, grads } = tf.variableGrads(() => conv2dFast(x, filter).square().mean() as tf.Scalar, [filter]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step(); // warm-up: lets tfjs allocate anything it keeps for good
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i += 1) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, filter]);
  });

  it('rejects bad arguments with a readable message', () => {
    const x = tf.zeros<tf.Rank.R4>([1, 4, 4, 2]);
    const even = tf.zeros<tf.Rank.R4>([2, 2, 2, 1]);
    const wrongIn = tf.zeros<tf.Rank.R4>([3, 3, 5, 1]);
    expect(() => conv2dFast(x, even)).toThrow(/odd size/);
    expect(() => conv2dFast(x, wrongIn)).toThrow(/expects 5 input channels but x has 2/);
    tf.dispose([x, even, wrongIn]);
  });

  it('agrees with tf.conv2dTranspose for the input gradient', async () => {
    const dy = tf.randomNormal<tf.Rank.R4>([2, 6, 5, 8], 0, 1, 'float32', 8);
    const filter = tf.randomNormal<tf.Rank.R4>([3, 3, 4, 8], 0, 1, 'float32', 9);
    const stock = tf.conv2dTranspose(dy, filter, [2, 6, 5, 4], 1, 'same');
    const viaForward = conv2dInputGradViaForward(dy, filter);
    expect(viaForward.shape).toEqual([2, 6, 5, 4]);
    expect(await relativeError(viaForward, stock)).toBeLessThan(1e-5);
    tf.dispose([dy, filter, stock, viaForward]);
  });

  it('picks the fast path on cpu, forward convs on wasm, the stock op elsewhere', () => {
    expect(convGradPathFor('cpu')).toBe('fast');
    expect(convGradPathFor('wasm')).toBe('forward');
    expect(convGradPathFor('webgpu')).toBe('fast'); // 'kernel' only with a live webgpu backend
    expect(convGradPathFor('tensorflow')).toBe('stock');
    const x = tf.ones<tf.Rank.R4>([1, 3, 3, 1]);
    const f = tf.ones<tf.Rank.R4>([3, 3, 1, 1]);
    const y = conv2dSame(x, f);
    expect(y.shape).toEqual([1, 3, 3, 1]);
    tf.dispose([x, f, y]);
  });
});
