/**
 * The global L2 norm of a step's gradients (all parameters together), as
 * PyTorch's clip_grad_norm_ measures it. The fine-tuner reports it with each
 * step's loss, so a run that goes wrong can be read as a loss or gradient
 * spike, or as neither (docs/eval-protocol.md, "Late collapses").
 */
import * as tf from '@tensorflow/tfjs';

/** sqrt of the sum of squares of every entry of every gradient (a scalar; the caller disposes it). */
export function globalGradNorm(grads: tf.NamedTensorMap): tf.Scalar {
  return tf.tidy(() => {
    const squares = Object.values(grads).map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(squares.length === 0 ? tf.scalar(0) : tf.addN(squares)) as tf.Scalar;
  });
}
