import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classSignedDistances, distanceToSites, signedDistanceMap } from '../../../../src-main/ml/simcvd/signedDistance';
import { alphaDropout, maskedMse, pairwiseDistillation, partialDiceLoss, rampUp, symmetricInfoNce } from '../../../../src-main/ml/simcvd/simcvdLosses';
import { scalar, useCpu } from '../helpers';

beforeAll(useCpu);

const logSumExp = (values: number[]): number => Math.log(values.reduce((s, v) => s + Math.exp(v), 0));

describe('SimCVD loss terms on small hand-computed cases', () => {
  it('symmetric InfoNCE: orthogonal unit rows at tau 0.5', async () => {
    // a and b both point along e1, e2 row by row: cos = I, so sim = I / 0.5 = diag(2).
    const a = tf.tensor2d([[3, 0], [0, 2]]);
    const b = tf.tensor2d([[1, 0], [0, 5]]);
    const expected = logSumExp([2, 0]) - 2; // each row and each column alike
    expect(await scalar(symmetricInfoNce(a, b, 0.5))).toBeCloseTo(expected, 5);
    // Swapping b's rows makes every positive orthogonal: ln(e^0 + e^2) - 0.
    const swapped = tf.tensor2d([[0, 5], [1, 0]]);
    expect(await scalar(symmetricInfoNce(a, swapped, 0.5))).toBeCloseTo(logSumExp([0, 2]), 5);
  });

  it('symmetric InfoNCE averages the two directions when they differ', async () => {
    const a = tf.tensor2d([[1, 0], [1, 1]]);
    const b = tf.tensor2d([[1, 0], [0, 1]]);
    const c = Math.SQRT1_2 / 0.5;
    // sim = [[2, 0], [c, c]]: rows give (lse(2,0) - 2) and (lse(c,c) - c); columns (lse(2,c) - 2) and (lse(0,c) - c).
    const rows = (logSumExp([2, 0]) - 2 + logSumExp([c, c]) - c) / 2;
    const cols = (logSumExp([2, c]) - 2 + logSumExp([0, c]) - c) / 2;
    expect(await scalar(symmetricInfoNce(a, b, 0.5))).toBeCloseTo((rows + cols) / 2, 5);
  });

  it('pair-wise distillation: each student voxel against the teacher voxels of its slice', async () => {
    // One slice of 1x2 voxels, 2 channels. Student voxels e1, e1; teacher e1, e2.
    const student = tf.tensor4d([1, 0, 1, 0], [1, 1, 2, 2]);
    const teacher = tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]);
    // sim/tau = [[2, 0], [2, 0]]; voxel 0 targets 0: lse(2,0) - 2; voxel 1 targets 1: lse(2,0) - 0.
    const expected = (logSumExp([2, 0]) - 2 + logSumExp([2, 0])) / 2;
    expect(await scalar(pairwiseDistillation(student, teacher, 0.5))).toBeCloseTo(expected, 5);
  });

  it('partial Dice counts labelled voxels only and stroked foreground classes only', async () => {
    // 1x1x4 pixels, 3 classes; labels [1, 1, 0, -1]; class 2 is not stroked.
    const probs = tf.tensor4d([0.2, 0.8, 0, 0.6, 0.4, 0, 0.9, 0.1, 0, 0, 0, 1], [1, 1, 4, 3]);
    const labels = tf.tensor3d([1, 1, 0, -1], [1, 1, 4], 'int32');
    // Class 1 over the 3 labelled voxels: overlap 0.8 + 0.4, sum p 0.8 + 0.4 + 0.1, sum y 2.
    const dice1 = (2 * 1.2) / (1.3 + 2);
    expect(await scalar(partialDiceLoss(probs, labels))).toBeCloseTo(1 - dice1, 5);
  });

  it('masked MSE averages over the weighted voxels and every channel', async () => {
    const a = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const b = tf.tensor4d([0, 0, 0, 0], [1, 1, 2, 2]);
    const weight = tf.tensor4d([1, 0], [1, 1, 2, 1]);
    expect(await scalar(maskedMse(a, b, weight))).toBeCloseTo((1 + 4) / 2, 6);
  });

  it('ramp-up follows exp(-5 (1 - t/T)^2) and stays at 1 after T', () => {
    expect(rampUp(0, 100)).toBeCloseTo(Math.exp(-5), 10);
    expect(rampUp(50, 100)).toBeCloseTo(Math.exp(-1.25), 10);
    expect(rampUp(100, 100)).toBe(1);
    expect(rampUp(250, 100)).toBe(1);
  });

  it('AlphaDropout keeps zero mean and unit variance, and two seeds give two different views', async () => {
    const x = tf.randomNormal([20000], 0, 1, 'float32', 3);
    const y = alphaDropout(x, 0.1, 7);
    const { mean, variance } = tf.moments(y);
    expect(Math.abs(await scalar(mean))).toBeLessThan(0.03);
    expect(await scalar(variance)).toBeCloseTo(1, 1);
    const differs = tf.sum(tf.notEqual(y, alphaDropout(x, 0.1, 8)));
    expect(await scalar(differs)).toBeGreaterThan(2000);
  });
});

describe('signed distance maps', () => {
  it('exact Euclidean distances to the sites', () => {
    // 3x3 slice, one site in the corner (0, 0).
    const d = distanceToSites((i) => i === 0, 3, 3);
    expect([...d].map((v) => Number(v.toFixed(4)))).toEqual([0, 1, 2, 1, 1.4142, 2.2361, 2, 2.2361, 2.8284]);
    expect(distanceToSites(() => false, 2, 2).every((v) => v === Infinity)).toBe(true);
  });

  it('is negative inside, positive outside, 0 on the boundary, in [-1, 1]', () => {
    // A 5x1 row: pixels 1..3 inside. Inside: distances to outside 1, 2, 1 -> minus 1 -> 0, 1, 0 -> /1.
    // Outside pixels 0 and 4 touch the inside: 0.
    const row = [false, true, true, true, false];
    expect([...signedDistanceMap(row, 5, 1)]).toEqual([0, 0, -1, 0, 0]);
    // 7x1: inside 0..1; outside pixels at 1..5 from the inside -> 0..4 -> /4.
    const left = [true, true, false, false, false, false, false];
    expect([...signedDistanceMap(left, 7, 1)]).toEqual([-1, 0, 0, 0.25, 0.5, 0.75, 1]);
  });

  it('gives one map per foreground class; an absent class is +1 everywhere', () => {
    const classes = [1, 1, 0, 0];
    const maps = classSignedDistances(classes, 1, 1, 4, 3);
    // Channel 0 (class 1): inside 0..1 (distances 2, 1 -> 1, 0 -> /1), outside 2..3 (1, 2 -> 0, 1 -> /1).
    expect([0, 1, 2, 3].map((i) => maps[i * 2])).toEqual([-1, 0, 0, 1]);
    expect([0, 1, 2, 3].map((i) => maps[i * 2 + 1])).toEqual([1, 1, 1, 1]);
  });
});
