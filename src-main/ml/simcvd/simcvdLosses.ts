/**
 * The loss terms of SimCVD (You et al., IEEE TMI 2022) as the 2D fine-tuner
 * uses them; see docs/ml-notes.md for what was adapted from the 3D paper.
 * Every function is pure tensor maths on its inputs: the teacher's side is
 * passed in as constants, so no gradient can reach it through these.
 */
import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from '../supCon';

/** The paper's InfoNCE temperature for the boundary-aware contrast. */
export const contrastTemperature = 0.5;

/**
 * Symmetrised InfoNCE between two views of N slices: a [N, D] (student) and
 * b [N, D] (teacher). Row i of a is positive with row i of b; the other rows
 * of b are its negatives (other slices), and the same the other way round:
 * L = (CE_rows(a b^T / tau) + CE_rows(b a^T / tau)) / 2, cosine similarity.
 */
export function symmetricInfoNce(a: tf.Tensor2D, b: tf.Tensor2D, temperature = contrastTemperature): tf.Scalar {
  if (a.shape.join() !== b.shape.join()) throw new Error(`symmetricInfoNce: the views differ in shape, [${a.shape.join(', ')}] vs [${b.shape.join(', ')}].`);
  if (a.shape[0] < 2) throw new Error(`symmetricInfoNce: need at least 2 slices (the negatives are the other slices), got ${a.shape[0]}.`);
  return tf.tidy(() => {
    const sim = tf.div(tf.matMul(l2Normalize(a), l2Normalize(b), false, true), temperature); // [N, N]
    const diagonal = tf.sum(tf.mul(sim, tf.eye(a.shape[0])), -1); // sim_ii
    const rows = tf.sub(tf.logSumExp(sim, -1), diagonal);
    const cols = tf.sub(tf.logSumExp(sim, 0), diagonal);
    return tf.div(tf.add(tf.mean(rows), tf.mean(cols)), 2) as tf.Scalar;
  });
}

/**
 * Pair-wise distillation of voxel relations on the bottleneck: student
 * s [N, h, w, C], teacher t [N, h, w, C]. Per slice, each student voxel's
 * cosine similarities to all teacher voxels of that slice go through a
 * softmax whose target is the same voxel: the mean of -log p_ii.
 */
export function pairwiseDistillation(student: tf.Tensor4D, teacher: tf.Tensor4D, temperature = contrastTemperature): tf.Scalar {
  if (student.shape.join() !== teacher.shape.join()) throw new Error(`pairwiseDistillation: student [${student.shape.join(', ')}] and teacher [${teacher.shape.join(', ')}] differ.`);
  const [n, h, w, c] = student.shape;
  return tf.tidy(() => {
    const s = l2Normalize(tf.reshape(student, [n, h * w, c]) as tf.Tensor3D);
    const t = l2Normalize(tf.reshape(teacher, [n, h * w, c]) as tf.Tensor3D);
    const sim = tf.div(tf.matMul(s, t, false, true), temperature); // [N, hw, hw]
    const diagonal = tf.sum(tf.mul(sim, tf.eye(h * w)), -1);
    return tf.mean(tf.sub(tf.logSumExp(sim, -1), diagonal)) as tf.Scalar;
  });
}

/**
 * Soft Dice loss over the labelled voxels only (label >= 0), averaged over the
 * foreground classes 1..K-1 that are stroked in the batch: 1 - 2 sum(p y) /
 * (sum p + sum y), every sum over labelled voxels. probs [B, H, W, K].
 */
export function partialDiceLoss(probs: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  const k = probs.shape[3];
  return tf.tidy(() => {
    const labelled = tf.expandDims(tf.cast(tf.greaterEqual(labels, 0), 'float32'), 3);
    const target = tf.oneHot(labels, k); // all zeros where unlabelled
    const p = tf.mul(probs, labelled);
    const overlap = tf.sum(tf.mul(p, target), [0, 1, 2]);
    const sizes = tf.add(tf.sum(p, [0, 1, 2]), tf.sum(target, [0, 1, 2]));
    const dice = tf.div(tf.mul(overlap, 2), tf.maximum(sizes, 1e-6));
    const present = tf.cast(tf.greater(tf.sum(target, [0, 1, 2]), 0), 'float32');
    const foreground = tf.concat([tf.zeros([1]), tf.ones([k - 1])]);
    const counted = tf.mul(present, foreground);
    return tf.div(tf.sum(tf.mul(tf.sub(1, dice), counted)), tf.maximum(tf.sum(counted), 1)) as tf.Scalar;
  });
}

/** Mean squared difference over the voxels where weight [B, H, W, 1] is 1 (all channels). */
export function maskedMse(a: tf.Tensor4D, b: tf.Tensor4D, weight: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const squared = tf.mul(tf.square(tf.sub(a, b)), weight);
    return tf.div(tf.sum(squared), tf.maximum(tf.mul(tf.sum(weight), a.shape[3]), 1)) as tf.Scalar;
  });
}

/** The unsupervised weights' ramp-up, exp(-5 (1 - t/T)^2), 1 from t >= T on. */
export function rampUp(step: number, rampSteps: number): number {
  if (rampSteps <= 0) return 1;
  const t = Math.min(1, Math.max(0, step / rampSteps));
  return Math.exp(-5 * (1 - t) ** 2);
}

/** SELU's constants, which AlphaDropout keeps the statistics of. */
const seluAlpha = 1.6732632423543772;
const seluScale = 1.0507009873554805;

/**
 * AlphaDropout (Klambauer et al. 2017; PyTorch nn.AlphaDropout): each value
 * is dropped with probability p to the SELU saturation value -scale*alpha,
 * then an affine map restores zero mean and unit variance. Two calls with
 * different seeds are the two dropout "views" of SimCVD's contrast.
 */
export function alphaDropout<T extends tf.Tensor>(x: T, p: number, seed: number): T {
  if (!(p >= 0 && p < 1)) throw new Error(`alphaDropout: p must be in [0, 1), got ${p}.`);
  if (p === 0) return tf.clone(x);
  const saturation = -seluScale * seluAlpha;
  const keep = 1 - p;
  const a = 1 / Math.sqrt(keep * (1 + p * saturation * saturation));
  const b = -a * saturation * p;
  return tf.tidy(() => {
    const mask = tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', seed), keep), 'float32');
    const dropped = tf.add(tf.mul(x, mask), tf.mul(tf.sub(1, mask), saturation));
    return tf.add(tf.mul(dropped, a), b) as T;
  });
}
