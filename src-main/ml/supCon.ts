/**
 * Positional supervised-contrastive loss (PCL's SupConLoss, contrast_mode
 * 'all', 'pcl' positives; docs/macl-method.md 2.3), written once for G independent groups so
 * that the image-level loss (G = 1) and the pixel-level loss (G = S spatial
 * positions, docs/macl-method.md 6.3 "vectorised L_d") share it.
 *
 * For each group, features F [2B, D] = [view a; view b]:
 *   s_ij = cos(F_i, F_j) / tau,
 *   l_i = -(1/|P_i|) sum_{j in P_i} (s_ij - log sum_{k != i} exp(s_ik)),
 *   L = (tau / 0.07) * mean_i l_i, then the mean over groups.
 */
import * as tf from '@tensorflow/tfjs';

/** tau = 0.1 (docs/macl-method.md 2.3). */
export const defaultTemperature = 0.1;
/** SupCon's base_temperature: the loss is scaled by tau / 0.07 (= 1.4286 at tau 0.1). */
export const baseTemperature = 0.07;
/** |dp| threshold for positives: 0.1 (CHD/KiTS); the spec uses 0.05 for BraTS. */
export const defaultPositionThreshold = 0.1;
/** Added to the self-similarity logits so exp() gives exactly 0 (docs/macl-method.md 6.2: not multiply-by-0, which risks log(0)). */
const selfLogit = -1e9;

/**
 * The positive mask [2B x 2B] (row-major) for slice positions p (length B):
 * M_ij = 1 when |p_i - p_j| < thr, tiled over both views, diagonal 0. Every
 * anchor has at least its counterpart in the other view.
 */
export function positiveMask(positions: readonly number[], threshold = defaultPositionThreshold): Float32Array {
  const b = positions.length;
  if (b < 2) throw new Error(`positiveMask: need at least 2 slices (negatives come from other slices), got ${b}.`);
  if (!(threshold > 0)) throw new Error(`positiveMask: the threshold must be > 0, got ${threshold}.`);
  const n = 2 * b;
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) {
      const pi = positions[i % b] ?? NaN;
      const pj = positions[j % b] ?? NaN;
      if (!Number.isFinite(pi) || !Number.isFinite(pj)) throw new Error('positiveMask: positions must be finite numbers.');
      if (i !== j && Math.abs(pi - pj) < threshold) mask[i * n + j] = 1;
    }
  }
  return mask;
}

/** The positive mask as a [2B, 2B] tensor. */
export function positiveMaskTensor(positions: readonly number[], threshold = defaultPositionThreshold): tf.Tensor2D {
  const n = 2 * positions.length;
  return tf.tensor2d(positiveMask(positions, threshold), [n, n]);
}

/** Rows scaled to unit length (cosine similarity); the max() keeps the gradient finite for an all-zero row. */
export function l2Normalize<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-16)));
}

/**
 * SupCon over groups: features [G, 2B, D] (rows 0..B-1 view a, B..2B-1 view b),
 * mask [2B, 2B] from positiveMask. Returns the scalar mean over G and 2B anchors.
 */
export function supConGroups(features: tf.Tensor3D, mask: tf.Tensor2D, temperature = defaultTemperature): tf.Scalar {
  const [, n] = features.shape;
  if (mask.shape[0] !== n || mask.shape[1] !== n) {
    throw new Error(`supCon: the mask is [${mask.shape.join(', ')}] but there are ${n} feature rows (2B).`);
  }
  return tf.tidy(() => {
    const unit = l2Normalize(features);
    const sim = tf.div(tf.matMul(unit, unit, false, true), temperature); // [G, 2B, 2B]
    const selfMask = tf.mul(tf.eye(n), selfLogit);
    // |s| <= 1/tau = 10, so exp() cannot overflow in fp32 without max-subtraction (docs/macl-method.md 2.3).
    const logDenominator = tf.log(tf.sum(tf.exp(tf.add(sim, selfMask)), -1, true)); // [G, 2B, 1]
    const logProb = tf.sub(sim, logDenominator);
    const positives = tf.sum(mask, -1); // [2B], >= 1
    const meanLogProbPos = tf.div(tf.sum(tf.mul(logProb, mask), -1), tf.maximum(positives, 1)); // [G, 2B]
    return tf.mul(tf.mean(meanLogProbPos), -temperature / baseTemperature) as tf.Scalar;
  });
}

/** SupCon for one set of B pairs: a, b [B, D]. */
export function supCon(a: tf.Tensor2D, b: tf.Tensor2D, mask: tf.Tensor2D, temperature = defaultTemperature): tf.Scalar {
  return tf.tidy(() => supConGroups(tf.expandDims(tf.concat([a, b], 0), 0) as tf.Tensor3D, mask, temperature));
}
