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
 * On the WASM backend the broadcast is a multiply by onesLike(x) instead:
 * its Tile kernel computes an index per element (14 ms CPU to broadcast a
 * 4x64x64x1 gradient over 16 channels, against 0.3 ms for OnesLike's fill
 * and XNNPACK's broadcasting multiply; no upload there).
 *
 * tfjs keeps one gradient per kernel name in a process-wide registry, so this
 * changes the gradient for every caller in the process. installTfjsPatches.ts
 * switches it on or off (tfjs's own gradients are kept and put back).
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs's own gradients, kept while ours are registered. */
let stock: tf.GradConfig[] | null = null;

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

/** `expanded` (x's shape with the reduced axes 1) broadcast to x's shape, by the cheaper kernel on the active backend. */
function broadcastLike(expanded: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === 'wasm') return tf.mul(expanded, tf.onesLike(x));
  return tf.broadcastTo(expanded, x.shape);
}

/** True while the broadcast gradients are registered. */
export function reductionGradientsInstalled(): boolean {
  return stock !== null;
}

/** Registers the broadcast gradients of Sum and Mean (on), or tfjs's own again (off). Idempotent. */
export function setReductionGradients(on: boolean): void {
  if (!on) {
    for (const config of stock ?? []) tf.registerGradient(config);
    stock = null;
    return;
  }
  if (stock !== null) return;
  const own: Array<tf.GradConfig | undefined> = ['Sum', 'Mean'].map((name) => tf.getGradient(name));
  if (own.some((config) => config === undefined)) throw new Error('reductionGradients: tfjs has no registered gradient for Sum or Mean (import @tensorflow/tfjs, not tfjs-core alone).');
  stock = own.filter((config) => config !== undefined);
  tf.registerGradient({
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => broadcastLike(tf.reshape(single(dy), expandedShape(x, attrs.axis)), x) };
    },
  });
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const shape = expandedShape(x, attrs.axis);
      const reduceSize = x.size / shape.reduce((a, b) => a * b, 1);
      return { x: () => broadcastLike(tf.div(tf.reshape(single(dy), shape), reduceSize), x) };
    },
  });
}
