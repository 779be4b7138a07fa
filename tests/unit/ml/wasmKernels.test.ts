/**
 * The WASM backend's project kernels and paths against tfjs's own ops on the
 * same backend: the fused Adam and SGD updates (tfjsPatches/wasmFusedAdam.ts,
 * wasmFusedSgd.ts) against the optimisers' tensor forms, the sharing
 * Identity/Cast (tfjsPatches/wasmSharedIdentity.ts) against the copying ones,
 * and the im2col input gradient (convInputGradIm2col.ts) inside conv2dForward.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../src-main/ml/adam';
import { conv2dForward, setIm2colInputGrad } from '../../../src-main/ml/conv2dFastGrad';
import { im2colInputGradPays } from '../../../src-main/ml/convInputGradIm2col';
import { createSgd } from '../../../src-main/ml/sgd';
import { setWasmFusedAdam, useWasmFusedAdam } from '../../../src-main/ml/tfjsPatches/wasmFusedAdam';
import { setWasmFusedSgd, useWasmFusedSgd } from '../../../src-main/ml/tfjsPatches/wasmFusedSgd';
import { setWasmSharedIdentity, wasmSharedIdentityInstalled } from '../../../src-main/ml/tfjsPatches/wasmSharedIdentity';
import { relativeError, useCpu, useWasm } from './helpers';

/** Weights after three optimiser steps (weight decay, per-step learning rates) on two parameters. */
async function optimisedWeights(optimiser: 'adam' | 'sgd'): Promise<Float32Array[]> {
  const a = tf.tidy(() => tf.variable(tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 1)));
  const b = tf.tidy(() => tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2)));
  const params = new Map([['a', a], ['b', b]]);
  const adam = createAdam({ weightDecay: 0.01 });
  const sgd = createSgd({ momentum: 0.9, weightDecay: 0.01 });
  for (const [t, lr] of [0.1, 0.05, 0.01].entries()) {
    const grads = { [a.name]: tf.randomNormal(a.shape, 0, 1, 'float32', 10 + t), [b.name]: tf.randomNormal(b.shape, 0, 1, 'float32', 20 + t) };
    if (optimiser === 'adam') adam.apply(params, grads, lr, new Map([['b', 0.5]]));
    else sgd.apply(params, grads, lr);
    Object.values(grads).forEach((g) => g.dispose());
  }
  const out = [await a.data(), await b.data()] as Float32Array[];
  adam.dispose();
  sgd.dispose();
  a.dispose();
  b.dispose();
  return out;
}

/** Largest |got - expected| relative to the largest |expected|, per array. */
function worstRelative(got: Float32Array[], expected: Float32Array[]): number {
  return Math.max(
    ...expected.map((e, i) => {
      const g = got[i]!;
      if (g.length !== e.length) return Infinity;
      return Math.max(...g.map((value, j) => Math.abs(value - e[j]!))) / Math.max(...e.map(Math.abs));
    }),
  );
}

describe('WASM project kernels', () => {
  beforeAll(useWasm, 60_000);
  afterAll(async () => {
    setWasmFusedAdam(true);
    setWasmFusedSgd(true);
    setIm2colInputGrad(true);
    setWasmSharedIdentity(true);
    await useCpu();
  });

  it.each(['adam', 'sgd'] as const)('the fused %s update equals the tensor form (weight decay, learning rates, three steps)', async (optimiser) => {
    const setFused = optimiser === 'adam' ? setWasmFusedAdam : setWasmFusedSgd;
    const usesFused = optimiser === 'adam' ? useWasmFusedAdam : useWasmFusedSgd;
    const before = tf.memory().numTensors;
    setFused(false);
    expect(usesFused()).toBe(false);
    const tensorForm = await optimisedWeights(optimiser);
    setFused(true);
    expect(usesFused()).toBe(true);
    const fused = await optimisedWeights(optimiser);
    expect(tf.memory().numTensors).toBe(before);
    expect(worstRelative(fused, tensorForm)).toBeLessThan(1e-6);
    // Not vacuous: the steps moved the weights well beyond that tolerance.
    const initial = tf.randomNormal([5], 0, 1, 'float32', 2);
    expect(worstRelative([fused[1]!], [(await initial.data()) as Float32Array])).toBeGreaterThan(1e-3);
    initial.dispose();
  });

  it('Identity and a same-dtype Cast share the data; other casts still convert; the copying kernels come back', async () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    setWasmSharedIdentity(true);
    expect(wasmSharedIdentityInstalled()).toBe(true);
    const x = tf.tensor([1.5, -2.25, 3]);
    const ids = backend.numDataIds();
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(ids); // no new buffers
    const ints = tf.cast(x, 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([1, -2, 3]);
    x.dispose(); // the shared buffer lives on with its other references
    expect(Array.from(await copy.data())).toEqual([1.5, -2.25, 3]);
    expect(Array.from(await cast.data())).toEqual([1.5, -2.25, 3]);
    copy.dispose();
    cast.dispose();
    ints.dispose();

    setWasmSharedIdentity(false);
    expect(wasmSharedIdentityInstalled()).toBe(false);
    const y = tf.tensor([4, 5]);
    const idsBefore = backend.numDataIds();
    const yCopy = tf.clone(y);
    expect(backend.numDataIds()).toBe(idsBefore + 1);
    expect(Array.from(await yCopy.data())).toEqual([4, 5]);
    tf.dispose([y, yCopy]);
  });

  it('gradients through saved tensors are unchanged with shared clones', async () => {
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 7);
    const grad = (on: boolean) => {
      setWasmSharedIdentity(on);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), tf.exp(t))))(x);
    };
    const copied = grad(false);
    const shared = grad(true);
    expect(await relativeError(shared, copied)).toBe(0);
    tf.dispose([x, copied, shared]);
  });

  it('conv2dForward gives the same gradients with the im2col input gradient as with the turned-filter conv', async () => {
    // 2x4x4 pixels for 16 input channels: a shape where im2col is chosen.
    expect(im2colInputGradPays([2, 4, 4, 8], [3, 3, 16, 8])).toBe(true);
    const x = tf.randomNormal([2, 4, 4, 16], 0, 1, 'float32', 3) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 16, 8], 0, 1, 'float32', 4) as tf.Tensor4D;
    const weights = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 5);
    const grads = (im2col: boolean) => {
      setIm2colInputGrad(im2col);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2dForward(a as tf.Tensor4D, b as tf.Tensor4D), weights)))([x, w]);
    };
    const [dxTurned, dwTurned] = grads(false);
    const [dxIm2col, dwIm2col] = grads(true);
    expect(await relativeError(dxIm2col!, dxTurned!)).toBeLessThan(1e-5);
    expect(await relativeError(dwIm2col!, dwTurned!)).toBe(0);
    tf.dispose([x, w, weights, dxTurned!, dwTurned!, dxIm2col!, dwIm2col!]);
  });
});
