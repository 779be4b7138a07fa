/**
 * The broadcast gradients of Sum and Mean (tfjsPatches/reductionGradients.ts)
 * equal tfjs's own (dy times ones) for several axes, keepDims and a scalar
 * result; switched off, tfjs's own are registered again.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { reductionGradientsInstalled, setReductionGradients } from '../../../src-main/ml/tfjsPatches/reductionGradients';
import { useWasm } from './helpers';

describe('Sum and Mean gradients as a broadcast', () => {
  const cases: Array<{ axis: number | number[] | undefined; keepDims: boolean }> = [
    { axis: undefined, keepDims: false },
    { axis: [0, 1, 2], keepDims: false },
    { axis: -1, keepDims: true },
    { axis: [1], keepDims: false },
  ];

  it.each(['cpu', 'wasm'])('give the same gradients as tfjs before the override (%s; wasm broadcasts by a multiply)', async (backend) => {
    if (backend === 'wasm') await useWasm();
    else await tf.setBackend('cpu');
    setReductionGradients(false); // activating a backend installs the patches
    const x = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 4);
    const weights = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 5);
    // A non-uniform dy: the reduction feeds a weighted sum of its (broadcast) result.
    const loss = (reduce: 'sum' | 'mean', axis: number | number[] | undefined, keepDims: boolean) => (t: tf.Tensor) => {
      const r = reduce === 'sum' ? tf.sum(tf.mul(t, weights), axis, keepDims) : tf.mean(tf.mul(t, weights), axis, keepDims);
      return tf.sum(tf.mul(r, tf.range(1, r.size + 1).reshape(r.shape)));
    };
    const before: Float32Array[] = [];
    for (const reduce of ['sum', 'mean'] as const) for (const c of cases) before.push((await tf.grad(loss(reduce, c.axis, c.keepDims))(x).data()) as Float32Array);
    const stock = [tf.getGradient('Sum'), tf.getGradient('Mean')];
    setReductionGradients(true);
    setReductionGradients(true); // idempotent
    expect(reductionGradientsInstalled()).toBe(true);
    expect(tf.getGradient('Sum')).not.toBe(stock[0]);
    let i = 0;
    for (const reduce of ['sum', 'mean'] as const) {
      for (const c of cases) {
        const after = (await tf.grad(loss(reduce, c.axis, c.keepDims))(x).data()) as Float32Array;
        const expected = before[i++] as Float32Array;
        after.forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 5));
      }
    }
    setReductionGradients(false);
    expect(reductionGradientsInstalled()).toBe(false);
    expect([tf.getGradient('Sum'), tf.getGradient('Mean')]).toEqual(stock);
    tf.dispose([x, weights]);
  }, 60_000);
});
