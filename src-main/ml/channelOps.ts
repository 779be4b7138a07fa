/**
 * Per-channel ops of the U-Net (bias add, batch norm, 2x2 max pooling) with
 * fast paths for the pure-JS CPU backend and the WebAssembly one.
 *
 * Why ('fast', the CPU backend): a broadcasting elementwise op ([C] against
 * [B, H, W, C]) goes through per-element index arithmetic, and a reduction
 * over N, H, W first transposes the whole tensor. Profiled on a width-8 MACL
 * step (8x64x64, 2 cores), Multiply/Sum/Transpose/Mean/Sub/Add from batch
 * norm and bias gradients took ~2.5 s of ~5 s. The fast path uses the
 * FusedBatchNorm kernel (one tight loop) as a per-channel affine map and a
 * matmul with a ones row for channel sums, and gives batch norm and bias add
 * hand-written gradients.
 *
 * Why ('wasm'): tfjs-backend-wasm runs only some kernels in XNNPACK (SIMD,
 * and on its thread pool when threaded); FusedBatchNorm is a plain loop there,
 * and the ones-row matmul makes XNNPACK repack the activation as a weight
 * matrix on every call (profiled: 1.1 ms CPU for a 4x64x64x16 sum, against
 * 0.1 ms for the pooling below). This path has the same hand-written
 * gradients but maps x * scale + shift to a 1x1 depthwise convolution with a
 * bias (XNNPACK's per-channel multiply-add kernel; 0.2 ms against
 * FusedBatchNorm's 1.2 ms for 4x64x64x16) and sums channels with a global
 * average pool times the pooled count.
 *
 * Other backends keep the composite ops, which they run natively; every path
 * is tested to agree with them.
 */
import * as tf from '@tensorflow/tfjs';

/** Which implementation the per-channel ops use. */
export type ChannelOpsPath = 'fast' | 'wasm' | 'stock';

export const channelOpsPaths: readonly ChannelOpsPath[] = ['fast', 'wasm', 'stock'];

/** 'fast' on the JS CPU backend, 'wasm' on the WebAssembly one, 'stock' elsewhere. */
export function channelOpsPathFor(backendName: string): ChannelOpsPath {
  if (backendName === 'cpu') return 'fast';
  return backendName === 'wasm' ? 'wasm' : 'stock';
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

/** x as [N, H, W, C] for the pooling and depthwise kernels: itself when rank 4, else [1, 1, rows, C]. */
function asImages(x: tf.Tensor): tf.Tensor4D {
  return x.rank === 4 ? (x as tf.Tensor4D) : tf.reshape(x, [1, 1, x.size / channelsOf(x), channelsOf(x)]);
}

/**
 * The per-channel mean on the 'wasm' path: one average-pool window per image
 * (the images are the pool's parallel work), then one over the images' means
 * (tfjs's Sum over a leading axis would transpose first).
 */
function pooledChannelMean(x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const images = asImages(x);
    const [n, h, w, c] = images.shape;
    const means = h * w === 1 ? images : tf.avgPool(images, [h, w], [h, w], 'valid');
    const mean = n === 1 ? means : tf.avgPool(tf.reshape(means, [1, n, 1, c]) as tf.Tensor4D, [n, 1], [n, 1], 'valid');
    return tf.reshape(mean, [c]);
  });
}

/** Sum over every axis but the last: x [..., C] -> [C]. */
export function channelSum(x: tf.Tensor): tf.Tensor1D {
  const c = channelsOf(x);
  const path = activeChannelOpsPath();
  if (path === 'stock') return tf.sum(x, x.shape.slice(0, -1).map((_, i) => i));
  return tf.tidy(() => {
    const rows = x.size / c;
    if (path === 'fast') return tf.reshape(tf.matMul(tf.ones([1, rows]), tf.reshape(x, [rows, c])), [c]);
    return tf.mul(pooledChannelMean(x), rows); // the mean times the count is the sum
  });
}

/** Mean over every axis but the last: x [..., C] -> [C] (on the 'wasm' path the pools' own result). */
export function channelMean(x: tf.Tensor): tf.Tensor1D {
  if (activeChannelOpsPath() === 'wasm') return pooledChannelMean(x);
  return tf.tidy(() => tf.div(channelSum(x), x.size / channelsOf(x)) as tf.Tensor1D);
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
    if (activeChannelOpsPath() === 'wasm') {
      const filter = tf.reshape(scale ?? tf.ones([c]), [1, 1, c, 1]) as tf.Tensor4D;
      const y = tf.fused.depthwiseConv2d({ x: asImages(x), filter, strides: 1, pad: 'valid', bias: shift });
      return x.rank === 4 ? y : tf.reshape(y, x.shape);
    }
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
 * `compute` as a custom op whose gradient is zero, for values no gradient flows through. Why:
 * while tf.variableGrads records, every kernel run outside a custom op goes on the tape and
 * tfjs copies each tensor its gradient would need (an Identity kernel per saved tensor, which
 * copies the data on the WASM backend), even when the tape later prunes the kernel. Inside a
 * custom op's forward function the tape is off: its kernels record and copy nothing.
 */
function untaped(compute: (inputs: tf.Tensor[]) => tf.Tensor1D): (...inputs: tf.Tensor[]) => tf.Tensor1D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const inputs = args.slice(0, -1) as tf.Tensor[];
    return { value: compute(inputs), gradFunc: () => inputs.map((input) => tf.zerosLike(input)) };
  });
  return (...inputs) => op(...inputs) as tf.Tensor1D;
}

/** Batch mean per channel, untaped (the batch-norm op's gradient formula accounts for it). */
const untapedMean = untaped(([x]) => channelMean(x!));

/** Biased batch variance per channel around `mean`, untaped. */
const untapedVariance = untaped(([x, mean]) => channelMean(tf.square(affineKernel(x!, undefined, tf.neg(mean!) as tf.Tensor1D))));

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
  // already includes their dependence on x). Creating them inside the op would trip tfjs's
  // kernel leak check (IS_TEST) for the tensors kept past it; each is its own untaped op instead.
  const count = x.size / channelsOf(x);
  const mean = untapedMean(x);
  const variance = untapedVariance(x, mean);
  onMoments({ mean, variance });
  const inv = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, g, mean, inv]);
    return {
      value: normalize(xIn, mean, variance, inv, g, b, eps),
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

/** The batch-norm output (x - mean) * inv * gamma + beta: FusedBatchNorm, or on the 'wasm' path one multiply-add per channel. */
function normalize(x: tf.Tensor, mean: tf.Tensor1D, variance: tf.Tensor1D, inv: tf.Tensor1D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor {
  if (activeChannelOpsPath() !== 'wasm') return tf.batchNorm(x, mean, variance, beta, gamma, eps);
  return tf.tidy(() => {
    const scale = tf.mul(gamma, inv) as tf.Tensor1D;
    return affineKernel(x, scale, tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D);
  });
}

/**
 * Batch norm with given statistics (inference): tf.batchNorm, or on the
 * 'wasm' path the same affine map as one XNNPACK multiply-add per channel.
 * For values only: the WASM backend has no gradient kernel for the depthwise
 * convolution that path uses.
 */
export function batchNormInference<T extends tf.Tensor>(x: T, mean: tf.Tensor, variance: tf.Tensor, beta: tf.Tensor, gamma: tf.Tensor, eps: number): T {
  if (activeChannelOpsPath() !== 'wasm') return tf.batchNorm(x, mean, variance, beta, gamma, eps) as T;
  return tf.tidy(() => {
    const v = variance as tf.Tensor1D;
    return normalize(x, mean as tf.Tensor1D, v, tf.rsqrt(tf.add(v, eps)) as tf.Tensor1D, gamma as tf.Tensor1D, beta as tf.Tensor1D, eps) as T;
  });
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
