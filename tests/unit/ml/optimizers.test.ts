import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../src-main/ml/adam';
import { cosineLr } from '../../../src-main/ml/schedule';
import { createSgd } from '../../../src-main/ml/sgd';
import { useCpu } from './helpers';

beforeAll(useCpu);

/** Runs an optimiser on one variable with the given gradients; returns the weight after each step. */
async function run(apply: (params: ReadonlyMap<string, tf.Variable>, grads: tf.NamedTensorMap, lr: number) => void, w0: number[], gradients: number[][], lrs: number[]): Promise<number[][]> {
  const w = tf.variable(tf.tensor1d(w0));
  const params = new Map([['w', w]]);
  const out: number[][] = [];
  for (let t = 0; t < gradients.length; t += 1) {
    const g = tf.tensor1d(gradients[t]!);
    apply(params, { [w.name]: g }, lrs[t]!);
    g.dispose();
    out.push(Array.from(await w.data()));
  }
  w.dispose();
  return out;
}

describe('SGD (PyTorch semantics: wd added to the gradient, buf = g at step 1, then m*buf + g)', () => {
  it('matches a hand computation', async () => {
    const sgd = createSgd({ momentum: 0.9, weightDecay: 0.1 });
    const grads = [[1, -2], [0.5, 0.5], [-1, 0]];
    const lrs = [0.1, 0.05, 0.01];
    const got = await run(sgd.apply, [1, 2], grads, lrs);
    let w = [1, 2];
    let buf: number[] | null = null;
    const expected: number[][] = [];
    grads.forEach((g, t) => {
      const gd = g.map((x, i) => x + 0.1 * w[i]!);
      buf = buf === null ? gd : buf.map((b, i) => 0.9 * b + gd[i]!);
      w = w.map((x, i) => x - lrs[t]! * buf![i]!);
      expected.push(w);
    });
    got.forEach((row, t) => row.forEach((v, i) => expect(v).toBeCloseTo(expected[t]![i]!, 5)));
    expect(sgd.state().size).toBe(1);
    sgd.dispose();
  });

  it('rejects bad settings', () => {
    expect(() => createSgd({ momentum: 1 })).toThrow(/momentum/);
    expect(() => createSgd({ weightDecay: -1 })).toThrow(/weightDecay/);
  });
});

describe('Adam (torch.optim.Adam: L2 in the gradient, bias-corrected)', () => {
  it('matches a hand computation', async () => {
    const adam = createAdam({ weightDecay: 0.01 });
    const grads = [[1, -2], [0.5, 0.5], [-1, 0]];
    const lrs = [0.1, 0.05, 0.01];
    const got = await run(adam.apply, [1, 2], grads, lrs);
    let w = [1, 2];
    let m = [0, 0];
    let v = [0, 0];
    const expected: number[][] = [];
    grads.forEach((g, k) => {
      const t = k + 1;
      const gd = g.map((x, i) => x + 0.01 * w[i]!);
      m = m.map((x, i) => 0.9 * x + 0.1 * gd[i]!);
      v = v.map((x, i) => 0.999 * x + 0.001 * gd[i]! ** 2);
      w = w.map((x, i) => x - (lrs[k]! * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8));
      expected.push(w);
    });
    got.forEach((row, t) => row.forEach((val, i) => expect(val).toBeCloseTo(expected[t]![i]!, 5)));
    expect(adam.steps).toBe(3);
    adam.dispose();
  });
});

describe('cosine schedule', () => {
  it('goes from lr0 to the floor over T steps and stays there', () => {
    expect(cosineLr(0, 100, 0.01)).toBeCloseTo(0.01, 10);
    expect(cosineLr(50, 100, 0.01)).toBeCloseTo(0.005, 10);
    expect(cosineLr(100, 100, 0.01)).toBe(0);
    expect(cosineLr(250, 100, 5e-4, 5e-6)).toBe(5e-6);
    expect(cosineLr(99, 100, 5e-4, 5e-6)).toBe(5e-6);
    expect(() => cosineLr(0, 0, 0.01)).toThrow(/totalSteps/);
  });
});
