import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseLoss, erLoss, globalLoss } from '../../../src-main/ml/maclLosses';
import { createRng } from '../../../src-main/ml/random';
import { positiveMask, positiveMaskTensor, supCon } from '../../../src-main/ml/supCon';
import { scalar, useCpu } from './helpers';

beforeAll(useCpu);

/** PCL's SupCon written as plain loops over anchors (docs/macl-method.md 2.3), the reference for the vectorised code. */
function supConLoops(a: number[][], b: number[][], positions: number[], threshold = 0.1, tau = 0.1): number {
  const rows = [...a, ...b].map((v) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  const n = rows.length;
  const bsz = a.length;
  const sim = (i: number, j: number): number => rows[i]!.reduce((s, x, k) => s + x * rows[j]![k]!, 0) / tau;
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    let denominator = 0;
    for (let k = 0; k < n; k += 1) if (k !== i) denominator += Math.exp(sim(i, k));
    const positives: number[] = [];
    for (let j = 0; j < n; j += 1) if (j !== i && Math.abs(positions[i % bsz]! - positions[j % bsz]!) < threshold) positives.push(j);
    total += -positives.reduce((s, j) => s + sim(i, j) - Math.log(denominator), 0) / positives.length;
  }
  return ((tau / 0.07) * total) / n;
}

function randomRows(rng: ReturnType<typeof createRng>, count: number, dim: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.normal()));
}

describe('positive mask', () => {
  it('tiles |dp| < thr over both views and excludes self', () => {
    const mask = positiveMask([0.1, 0.15, 0.9], 0.1);
    const at = (i: number, j: number): number => mask[i * 6 + j] ?? -1;
    for (let i = 0; i < 6; i += 1) expect(at(i, i)).toBe(0);
    expect(at(0, 3)).toBe(1); // the counterpart view
    expect(at(0, 1)).toBe(1); // a neighbouring slice, same view
    expect(at(0, 4)).toBe(1); // a neighbouring slice, other view
    expect(at(0, 2)).toBe(0);
    expect(at(2, 5)).toBe(1);
    expect(at(2, 0)).toBe(0);
    expect(() => positiveMask([0.5])).toThrow(/at least 2 slices/);
  });
});

describe('positional SupCon', () => {
  it.each([2, 4, 16])('gives (tau/0.07) ln(2B-1) for uniform similarities, B = %i', async (b) => {
    const positions = Array.from({ length: b }, (_, i) => (i + 1) / b);
    const mask = positiveMaskTensor(positions);
    const same = tf.ones([b, 8]) as tf.Tensor2D;
    const loss = supCon(same, same, mask);
    expect(await scalar(loss)).toBeCloseTo((0.1 / 0.07) * Math.log(2 * b - 1), 4);
    if (b === 16) expect(await scalar(loss)).toBeCloseTo(4.91, 2); // the spec's sanity value
    tf.dispose([mask, same, loss]);
  });

  it('equals the per-anchor loop version on random features and mixed positions', async () => {
    const rng = createRng(11);
    for (const positions of [[0.1, 0.12, 0.5, 0.55, 0.95], [0.2, 0.8], [0.3, 0.31, 0.32, 0.33]]) {
      const a = randomRows(rng, positions.length, 6);
      const b = randomRows(rng, positions.length, 6);
      const mask = positiveMaskTensor(positions);
      const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
      const loss = supCon(ta, tb, mask);
      expect(await scalar(loss)).toBeCloseTo(supConLoops(a, b, positions), 4);
      tf.dispose([mask, ta, tb, loss]);
    }
  });

  it('stays finite with identical and with all-zero features (self excluded additively)', async () => {
    const positions = [0.1, 0.5];
    const mask = positiveMaskTensor(positions);
    const zeros = tf.zeros([2, 4]) as tf.Tensor2D;
    const ones = tf.ones([2, 4]) as tf.Tensor2D;
    const [dz] = tf.grads((x: tf.Tensor) => supCon(x as tf.Tensor2D, ones, mask))([zeros]);
    const lz = supCon(zeros, ones, mask);
    expect(Number.isFinite(await scalar(lz))).toBe(true);
    expect(Array.from(await dz!.data()).every(Number.isFinite)).toBe(true);
    tf.dispose([mask, zeros, ones, dz!, lz]);
  });
});

describe('MACL losses', () => {
  it('L_g is SupCon of the two instance projections', async () => {
    const rng = createRng(3);
    const positions = [0.1, 0.4, 0.45, 0.9];
    const a = randomRows(rng, 4, 5);
    const b = randomRows(rng, 4, 5);
    const mask = positiveMaskTensor(positions);
    const [ta, tb] = [tf.tensor2d(a), tf.tensor2d(b)];
    const loss = globalLoss(ta, tb, mask);
    expect(await scalar(loss)).toBeCloseTo(supConLoops(a, b, positions), 4);
    tf.dispose([mask, ta, tb, loss]);
  });

  it('L_d (vectorised over positions) equals the mean of per-position loop SupCon', async () => {
    const rng = createRng(5);
    const [bsz, h, w, d] = [3, 2, 3, 4];
    const positions = [0.2, 0.25, 0.7];
    const aux = Array.from({ length: bsz * h * w * d }, () => rng.normal());
    const dom = Array.from({ length: bsz * h * w * d }, () => rng.normal());
    const at = (data: number[], i: number, s: number): number[] => data.slice((i * h * w + s) * d, (i * h * w + s + 1) * d);
    let expected = 0;
    for (let s = 0; s < h * w; s += 1) {
      const a = Array.from({ length: bsz }, (_, i) => at(aux, i, s));
      const b = Array.from({ length: bsz }, (_, i) => at(dom, i, s));
      expected += supConLoops(a, b, positions) / (h * w);
    }
    const mask = positiveMaskTensor(positions);
    const [ta, tb] = [tf.tensor4d(aux, [bsz, h, w, d]), tf.tensor4d(dom, [bsz, h, w, d])];
    const loss = denseLoss(ta, tb, mask);
    expect(await scalar(loss)).toBeCloseTo(expected, 4);
    tf.dispose([mask, ta, tb, loss]);
  });

  it('L_ER = mean |bilinear x0.25 (align_corners) of the aux bottleneck - dominant bottleneck|', async () => {
    // 8x8 -> 2x2 with align_corners samples rows/columns 0 and 7 exactly.
    const auxValues = Array.from({ length: 8 * 8 * 2 }, (_, i) => i);
    const aux = tf.tensor4d(auxValues, [1, 8, 8, 2]);
    const dom = tf.fill([1, 2, 2, 2], 50) as tf.Tensor4D;
    let expected = 0;
    for (const y of [0, 7]) for (const x of [0, 7]) for (const c of [0, 1]) expected += Math.abs((y * 8 + x) * 2 + c - 50) / 8;
    const loss = erLoss(aux, dom);
    expect(await scalar(loss)).toBeCloseTo(expected, 4);
    const wrong = tf.zeros([1, 3, 3, 2]) as tf.Tensor4D;
    expect(() => erLoss(aux, wrong)).toThrow(/must be 4x the dominant one/);
    tf.dispose([aux, dom, loss, wrong]);
  });
});
