/**
 * The three MACL losses (docs/macl-method.md 2.3) and their weighted total
 * L = 1.0 L_g + 0.5 L_d + 1.0 L_ER.
 */
import * as tf from '@tensorflow/tfjs';
import type { MaclOutputs } from './maclModel';
import { defaultTemperature, supCon, supConGroups } from './supCon';

/** Loss weights {lambda1, lambda2, lambda3} (docs/macl-method.md 2.3, Table V). */
export interface LossWeights {
  readonly global: number;
  readonly dense: number;
  readonly er: number;
}

/** {1.0, 0.5, 1.0} for L_g, L_d, L_ER. */
export const defaultLossWeights: LossWeights = { global: 1.0, dense: 0.5, er: 1.0 };

/** The loss parts as scalars. */
export interface MaclLossParts {
  readonly total: tf.Scalar;
  readonly global: tf.Scalar;
  readonly dense: tf.Scalar;
  readonly er: tf.Scalar;
}

/** Image-level L_g: SupCon over the instance projections (aux from V2, dominant from V1). */
export function globalLoss(auxInstance: tf.Tensor2D, domInstance: tf.Tensor2D, mask: tf.Tensor2D, temperature = defaultTemperature): tf.Scalar {
  return supCon(auxInstance, domInstance, mask, temperature);
}

/**
 * Pixel-level L_d: the same SupCon at each of the S = h*w positions, averaged.
 * Vectorised: [2B, h, w, D] -> [S, 2B, D], one batched matmul (docs/macl-method.md 6.3). The
 * negatives are the same position in other slices (docs/macl-method.md 6.1 item 4).
 */
export function denseLoss(auxPixel: tf.Tensor4D, domPixel: tf.Tensor4D, mask: tf.Tensor2D, temperature = defaultTemperature): tf.Scalar {
  if (auxPixel.shape.join() !== domPixel.shape.join()) {
    throw new Error(`denseLoss: the pixel embeddings must have the same shape, got [${auxPixel.shape.join(', ')}] and [${domPixel.shape.join(', ')}].`);
  }
  return tf.tidy(() => {
    const [b, h, w, d] = auxPixel.shape;
    const both = tf.reshape(tf.concat([auxPixel, domPixel], 0), [2 * b, h * w, d]);
    return supConGroups(tf.transpose(both, [1, 0, 2]) as tf.Tensor3D, mask, temperature);
  });
}

/**
 * Feature-level L_ER = mean |bilinear_x0.25(Y~, align_corners) - Y| (nn.L1Loss),
 * with gradients into both encoder passes (no stop-gradient; docs/macl-method.md 2.3).
 */
export function erLoss(auxBottleneck: tf.Tensor4D, domBottleneck: tf.Tensor4D): tf.Scalar {
  const [, h, w] = domBottleneck.shape;
  if (auxBottleneck.shape[1] !== 4 * h || auxBottleneck.shape[2] !== 4 * w) {
    throw new Error(`erLoss: the auxiliary bottleneck must be 4x the dominant one, got [${auxBottleneck.shape.join(', ')}] and [${domBottleneck.shape.join(', ')}].`);
  }
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(tf.image.resizeBilinear(auxBottleneck, [h, w], true), domBottleneck))));
}

/** All three losses and the weighted total. */
export function maclLosses(out: MaclOutputs, mask: tf.Tensor2D, weights: LossWeights = defaultLossWeights, temperature = defaultTemperature): MaclLossParts {
  const global = globalLoss(out.auxInstance, out.domInstance, mask, temperature);
  const dense = denseLoss(out.auxPixel, out.domPixel, mask, temperature);
  const er = erLoss(out.auxBottleneck, out.domBottleneck);
  const total = tf.tidy(() => tf.addN([tf.mul(global, weights.global), tf.mul(dense, weights.dense), tf.mul(er, weights.er)]) as tf.Scalar);
  return { total, global, dense, er };
}
