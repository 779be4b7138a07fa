/**
 * The gradients of Sum and Mean as a broadcast of dy, replacing tfjs 4.22's
 * registered ones, which multiply dy by `tf.ones(x.shape)`: a typed array of
 * the input's full size filled on the CPU and uploaded to the device on every
 * backward pass. On the H200 a 256x256 batch-8 fine-tuning step spent about
 * 2 s of its 2.5 s there (batch-norm moments and loss reductions: 32 Means
 * and 100 Sums of activations up to 67 MB each; a CPU profile of the trainer
 * showed makeOnesTypedArray at half of all samples, with the buffer creation
 * and upload after it). The same values: dx = dy broadcast over the reduced
 * axes (divided by their size for Mean), as one Tile kernel on the device.
 *
 * tfjs keeps one gradient per kernel name in a process-wide registry, so this
 * changes the gradient for every caller in the process; it is installed by the
 * training code (finetuner, pretrainer) and is idempotent.
 */
import * as tf from '@tensorflow/tfjs';

let installed = false;

function expandedShape(x: tf.Tensor, axis: unknown): number[] {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const shape = x.shape.slice();
  for (const a of axes) shape[a] = 1;
  return shape;
}

function single(dy: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(dy)) throw new Error('reductionGradients: a reduction has one output.');
  return dy;
}

/** Installs the broadcast gradients of Sum and Mean (once per process). */
export function installReductionGradients(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => tf.broadcastTo(tf.reshape(single(dy), expandedShape(x, attrs.axis)), x.shape) };
    },
  });
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const shape = expandedShape(x, attrs.axis);
      const reduceSize = x.size / shape.reduce((a, b) => a * b, 1);
      return { x: () => tf.broadcastTo(tf.div(tf.reshape(single(dy), shape), reduceSize), x.shape) };
    },
  });
}
