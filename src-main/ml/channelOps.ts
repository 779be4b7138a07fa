/**
 * Per-channel ops of the U-Net (bias add, batch norm, 2x2 max pooling) with
 * a fast path for the pure-JS CPU backend.
 *
 * Why: on the CPU backend a broadcasting elementwise op ([C] against
 * [B, H, W, C]) goes through per-element index arithmetic, and a reduction
 * over N, H, W first transposes the whole tensor. Profiled on a width-8 MACL
 * step (8x64x64, 2 cores), Multiply/Sum/Transpose/Mean/Sub/Add from batch
 * norm and bias gradients took ~2.5 s of ~5 s. The fast path uses the
 * FusedBatchNorm kernel (one tight loop) as a per-channel affine map and a
 * matmul with a ones row for channel sums, and gives batch norm and bias add
 * hand-written gradients. Other backends keep the composite ops, which they
 * run natively; both paths are tested to agree.
 */
import * as tf from '@tensorflow/tfjs';

/** Which implementation the per-channel ops use. */
export type ChannelOpsPath = 'fast' | 'stock';

/** 'fast' on the JS CPU (and WASM) backends, 'stock' elsewhere. */
export function channelOpsPathFor(backendName: string): ChannelOpsPath {
  return backendName === 'cpu' || backendName === 'wasm' ? 'fast' : 'stock';
}

let forcedPath: ChannelOpsPath | null = null;

/** Forces a path (tests compare them); null restores the per-backend choice. */
export function forceChannelOpsPath(path: ChannelOpsPath | null): void {
  forcedPath = path;
}

/** The path in effect now: the forced one, else the one for the active backend. */
export function activeChannelOpsPath(): ChannelOpsPath {
  return forcedPath ?? channelOpsPathFor(tf.getBackend());
}

function channelsOf(x: tf.Tensor): number {
  return x.shape[x.rank - 1] ?? 1;
}

/** Sum over every axis but the last: x [..., C] -> [C]. */
export function channelSum(x: tf.Tensor): tf.Tensor1D {
  const c = channelsOf(x);
  if (activeChannelOpsPath() === 'stock') return tf.sum(x, x.shape.slice(0, -1).map((_, i) => i));
  return tf.tidy(() => {
    const rows = x.size / c;
    return tf.reshape(tf.matMul(tf.ones([1, rows]), tf.reshape(x, [rows, c])), [c]);
  });
}

/**
 * x * scale + shift per channel through the FusedBatchNorm kernel (mean 0,
 * variance 1, eps 0: exact). Used where no gradient flows through it (inside
 * custom ops, or for values the tape prunes). Scale and offset are always
 * passed: with the tape on, FusedBatchNorm saves its scale input for the
 * gradient and fails on a missing one.
 */
function affineKernel(x: tf.Tensor, scale: tf.Tensor1D | undefined, shift: tf.Tensor1D | undefined): tf.Tensor {
  return tf.tidy(() => {
    const c = channelsOf(x);
    return tf.batchNorm(x, tf.zeros([c]), tf.ones([c]), shift ?? tf.zeros([c]), scale ?? tf.ones([c]), 0);
  });
}

const fastBiasAdd = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, bias] = args as [tf.Tensor, tf.Tensor1D];
  return {
    value: affineKernel(x, undefined, bias),
    gradFunc: (dy: tf.Tensor) => [dy.clone(), channelSum(dy)],
  };
});

/** x + bias over the last axis. */
export function biasAdd<T extends tf.Tensor>(x: T, bias: tf.Tensor): T {
  if (activeChannelOpsPath() === 'stock') return tf.add(x, bias);
  return fastBiasAdd(x, bias) as T;
}

/** Batch moments over all axes but the last (biased variance), computed without a gradient path of their own. */
export interface ChannelMoments {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * Training-mode batch norm: y = gamma (x - mean) / sqrt(var + eps) + beta
 * with batch moments; `onMoments` receives the moments (for the running
 * statistics) and must keep them if it needs them past the current tidy.
 */
export function batchNormTrain<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, eps: number, onMoments: (m: ChannelMoments) => void): T {
  if (activeChannelOpsPath() === 'stock') {
    const { mean, variance } = tf.moments(x, x.shape.slice(0, -1).map((_, i) => i));
    onMoments({ mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D });
    // Folded into one scale and one shift: two full-size ops instead of four.
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(mean, scale))) as T;
  }
  // The moments are computed outside the custom op: they feed the running statistics and the
  // op's gradient formula, but autodiff never differentiates through them (the formula for dx
  // already includes their dependence on x), so the tape prunes these ops. Creating them inside
  // the op would also trip tfjs's kernel leak check (IS_TEST) for the tensors kept past it.
  const count = x.size / channelsOf(x);
  const mean = tf.div(channelSum(x), count) as tf.Tensor1D;
  const variance = tf.div(channelSum(tf.square(affineKernel(x, undefined, tf.neg(mean) as tf.Tensor1D))), count) as tf.Tensor1D;
  onMoments({ mean, variance });
  const inv = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, g, mean, inv]);
    return {
      value: tf.batchNorm(xIn, mean, variance, b, g, eps),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sGamma, sMean, sInv] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const xhat = affineKernel(sx, sInv, tf.neg(tf.mul(sMean, sInv)) as tf.Tensor1D);
        // dx = gamma*inv/M * (M dy - sum(dy) - xhat * sum(dy xhat)); the moments' dependence on x is inside this formula.
        const dBeta = channelSum(dy);
        const dGamma = channelSum(tf.mul(dy, xhat));
        const a = tf.mul(sGamma, sInv) as tf.Tensor1D;
        const shift = tf.neg(tf.div(tf.mul(a, dBeta), count)) as tf.Tensor1D;
        const xhatScale = tf.neg(tf.div(tf.mul(a, dGamma), count)) as tf.Tensor1D;
        const dx = tf.add(affineKernel(dy, a, shift), affineKernel(xhat, xhatScale, undefined));
        return [dx, dGamma, dBeta];
      },
    };
  });
  return op(x, gamma, beta) as T;
}

const fastMaxPool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
  const y = tf.maxPool(x, 2, 2, 'valid');
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy] = saved as [tf.Tensor4D, tf.Tensor4D];
      const size: [number, number] = [sx.shape[1], sx.shape[2]];
      // Nearest upsampling by 2 maps output (i, j) back onto its 2x2 window.
      const isMax = tf.cast(tf.equal(sx, tf.image.resizeNearestNeighbor(sy, size)), 'float32') as tf.Tensor4D;
      const ties = tf.mul(tf.avgPool(isMax, 2, 2, 'valid'), 4); // maxima per window, >= 1
      return [tf.mul(tf.image.resizeNearestNeighbor(tf.div(dy, ties) as tf.Tensor4D, size), isMax)];
    },
  };
});

/**
 * MaxPool 2x2 stride 2. The fast path's gradient routes dy to the window's
 * maximum with 5 full-size elementwise/resize ops instead of the CPU
 * backend's MaxPoolGrad (~90 ms for 8x64x64x8, 2 cores). With tied maxima it
 * splits dy evenly among them (PyTorch and tfjs give it all to the first):
 * the same total, a different but valid subgradient.
 */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  if (activeChannelOpsPath() === 'stock') return tf.maxPool(x, 2, 2, 'valid');
  return fastMaxPool(x) as tf.Tensor4D;
}
