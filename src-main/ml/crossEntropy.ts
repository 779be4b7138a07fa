/**
 * Cross-entropy over labelled voxels only (MACL fine-tunes with CE alone;
 * docs/macl-method.md 4.1). Label encoding used throughout src-main/ml: int32 maps where
 * 0..K-1 are classes (0 = background, e.g. a background stroke) and
 * ignoreLabel (-1) marks unlabelled voxels, which contribute nothing.
 */
import * as tf from '@tensorflow/tfjs';

/** How the per-voxel losses are averaged. */
export interface CrossEntropyOptions {
  /**
   * Average each class over its own labelled voxels, then average the
   * classes present in the batch (default false: one mean over all labelled
   * voxels). Sparse strokes are dominated by background voxels (tens of
   * structure voxels against over a thousand of background in the eval
   * protocol), so the plain mean lets a thin structure's stroke go unfitted.
   */
  readonly classBalanced?: boolean;
}

/**
 * Whether training on a user's strokes (the interactive session and `macl
 * eval`) uses the class-balanced CE. Not yet (docs/eval-protocol.md, session
 * 10): the simulated radiologist paints each deep grey nucleus with 1.5-3 %
 * of the stroked pixels, and under the plain mean the network got none of
 * their strokes right on its own training slices; the balanced mean fits
 * them all and took the nuclei from 0.00 to 0.01-0.61 (mean per nucleus,
 * depending on the rotations), but cost the
 * phantom's thin ring its 0.90 bar (0.81). When on, ml/strokePrior.ts puts the
 * painted shares back at inference (priorWeights' balancedLoss). Strokes of
 * several structures get the balanced CE anyway, with the uniform prior
 * (severalStructures.ts, session 12); this switch is for every task.
 */
export const strokeClassBalanced = false;

/** Mean CE over voxels with label >= 0, and how many there were. 0 when none is labelled. */
export function maskedCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, options: CrossEntropyOptions = {}): { loss: tf.Scalar; labelled: tf.Scalar } {
  const [b, h, w, k] = logits.shape;
  if (labels.shape[0] !== b || labels.shape[1] !== h || labels.shape[2] !== w) {
    throw new Error(`maskedCrossEntropy: labels [${labels.shape.join(', ')}] do not match logits [${logits.shape.join(', ')}].`);
  }
  if (labels.dtype !== 'int32') throw new Error(`maskedCrossEntropy: labels must be int32, got ${labels.dtype}.`);
  return tf.tidy(() => {
    // oneHot of a negative label is all zeros, so unlabelled voxels drop out of the sum exactly.
    const target = tf.oneHot(labels, k);
    const labelledMask = tf.cast(tf.greaterEqual(labels, 0), 'float32');
    const labelled = tf.sum(labelledMask);
    const nll = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1)); // [B, H, W]
    if (options.classBalanced === true) {
      const perClassCount = tf.sum(target, [0, 1, 2]);
      const perClassSum = tf.sum(tf.mul(tf.expandDims(nll, 3), target), [0, 1, 2]);
      const present = tf.sum(tf.cast(tf.greater(perClassCount, 0), 'float32'));
      const loss = tf.div(tf.sum(tf.div(perClassSum, tf.maximum(perClassCount, 1))), tf.maximum(present, 1)) as tf.Scalar;
      return { loss, labelled: labelled as tf.Scalar };
    }
    const loss = tf.div(tf.sum(tf.mul(nll, labelledMask)), tf.maximum(labelled, 1)) as tf.Scalar;
    return { loss, labelled: labelled as tf.Scalar };
  });
}
