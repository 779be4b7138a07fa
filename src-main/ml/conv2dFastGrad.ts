/**
 * A 'same'-padded, stride-1 conv2d (NHWC, odd square kernel such as 3x3 or
 * 1x1) whose filter gradient is computed as a forward convolution.
 *
 * Why: the pure-JS CPU backend's stock Conv2DBackpropFilter is a naive loop
 * that took 866-959 ms for a 4x32x32x8 -> 16, 3x3 layer on a 2-core machine,
 * against 13.5 ms for the forward conv (measured with tf.profile). The same
 * gradient written as one forward conv (below) took ~35 ms and matched to a
 * relative 3e-6, and it dominated every CPU training step. It also gives a
 * filter gradient on backends that have a forward conv but no backprop
 * kernel (WASM).
 *
 * The identity: with xp = x padded by p = (k-1)/2,
 *   dW[i, j, c, o] = sum over b, h, w of xp[b, h+i, w+j, c] * dy[b, h, w, o],
 * which is a 'valid' conv of xp^T [Cin, Hp, Wp, B] (batch = Cin, channels = B)
 * with dy^T [H, W, B, Cout] as the filter, giving [Cin, k, k, Cout].
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dInputGradIm2col, im2colInputGradPays } from './convInputGradIm2col';
import { conv2dFilterGradWebgpu } from './tfjsPatches/filterGrad';
import { useWebgpuKernel } from './tfjsPatches/kernelChoice';

/** A conv2d with 'same' padding and stride 1: x [B, H, W, Cin], filter [k, k, Cin, Cout] -> [B, H, W, Cout]. */
export type Conv2dSame = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;

/**
 * Which implementation computes the filter gradient: as a forward conv
 * ('fast', input gradient stock; 'forward', input gradient a forward conv too),
 * tfjs's own kernels ('stock'), or the WebGPU split-K kernel ('kernel',
 * tfjsPatches/filterGrad.ts; input gradient stock).
 */
export type ConvGradPath = 'fast' | 'forward' | 'stock' | 'kernel';

/** Throws a readable error unless x and filter fit a 'same', stride-1 conv with an odd square kernel. */
export function checkConvArgs(x: tf.Tensor, filter: tf.Tensor): void {
  if (x.rank !== 4) throw new Error(`conv2d: x must be rank 4 [batch, height, width, channels], got shape [${x.shape.join(', ')}].`);
  if (filter.rank !== 4) throw new Error(`conv2d: filter must be rank 4 [k, k, in, out], got shape [${filter.shape.join(', ')}].`);
  const [kh, kw, cin] = filter.shape;
  if (kh !== kw || kh === undefined || kh % 2 !== 1) {
    throw new Error(`conv2d: the kernel must be square with an odd size (1x1, 3x3, ...), got ${kh}x${kw}.`);
  }
  if (cin !== x.shape[3]) {
    throw new Error(`conv2d: filter expects ${cin} input channels but x has ${x.shape[3]} (x [${x.shape.join(', ')}], filter [${filter.shape.join(', ')}]).`);
  }
}

/**
 * The filter gradient of a 'same', stride-1 conv, computed as one forward
 * 'valid' conv (see the file comment). Returns [k, k, Cin, Cout].
 */
export function conv2dFilterGradViaForward(x: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number): tf.Tensor4D {
  return tf.tidy(() => {
    const p = (kernelSize - 1) / 2;
    const padded = p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]) : x;
    const xT = tf.transpose(padded, [3, 1, 2, 0]); // [Cin, Hp, Wp, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [H, W, B, Cout], used as a filter
    const grad = tf.conv2d(xT, dyT, 1, 'valid'); // [Cin, k, k, Cout]
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
}

/** Anti-identity matrices by size, as values: uploaded per call (a few dozen floats) rather than built by tf.eye and tf.reverse, a handful of kernels each time. */
const antiIdentityValues = new Map<number, Float32Array>();

/** The n x n anti-identity (ones on the anti-diagonal). */
function antiIdentity(n: number): tf.Tensor2D {
  let values = antiIdentityValues.get(n);
  if (values === undefined) {
    values = new Float32Array(n * n);
    for (let i = 0; i < n; i += 1) values[i * n + (n - 1 - i)] = 1;
    antiIdentityValues.set(n, values);
  }
  return tf.tensor2d(values, [n, n]);
}

/**
 * The filter turned by 180 degrees with its channel axes swapped:
 * turned[i, j, o, c] = W[k-1-i, k-1-j, c, o]. After the swap the turn
 * reverses the order of the k*k taps, each a row of [k*k, Cout*Cin], done as
 * a product with the k*k x k*k anti-identity (exact: each output is one
 * input times 1 plus zeros). Why not tf.reverse or a split: the WASM
 * backend's Reverse computes an index per element (4.7 ms CPU for a
 * 3x3x128x128 filter, 18 ms for 3x3x256x256, about as long as the layer's
 * convolutions), and its Slice/Split copy the whole input out of the heap for
 * every piece; a plain matmul runs in XNNPACK.
 */
export function turnedFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [k, , cin, cout] = filter.shape;
    const taps = k * k;
    const swapped = tf.reshape(tf.transpose(tf.reshape(filter, [taps, cin, cout]), [0, 2, 1]), [taps, cout * cin]);
    return tf.reshape(tf.matMul(antiIdentity(taps), swapped), [k, k, cout, cin]);
  });
}

/**
 * The input gradient of a 'same', stride-1 conv with an odd kernel, computed
 * as one forward 'same' conv of dy with the turned filter (turnedFilter):
 * dx[b, h, w, c] = sum over i, j, o of dy[b, h + p - i, w + p - j, o] * W[i, j, c, o].
 * Returns [B, H, W, Cin].
 */
export function conv2dInputGradViaForward(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.conv2d(dy, turnedFilter(filter), 1, 'same'));
}

let im2colInputGrad = true;

/** Turns the im2col input gradient of deep layers on the WASM backend off or back on (benchmarks and tests compare the two). */
export function setIm2colInputGrad(on: boolean): void {
  im2colInputGrad = on;
}

/**
 * The input gradient as forward computations: on the WASM backend, for
 * layers with few pixels for their weights, one matrix product over an
 * im2col of dy (convInputGradIm2col.ts); else a conv with the turned filter.
 */
function inputGradViaForward(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const im2col = im2colInputGrad && tf.getBackend() === 'wasm' && im2colInputGradPays(dy.shape, filter.shape);
  return im2col ? conv2dInputGradIm2col(dy, filter) : conv2dInputGradViaForward(dy, filter);
}

/**
 * Duck-typed on purpose: a native backend package (tfjs-node) may load its own
 * copy of tfjs-core, whose Tensor class fails an `instanceof` against ours.
 */
function isTensor4D(value: unknown): value is tf.Tensor4D {
  return typeof value === 'object' && value !== null && 'rank' in value && value.rank === 4 && 'dataId' in value;
}

function isSaveFunc(value: unknown): value is tf.GradSaveFunc {
  return typeof value === 'function';
}

/**
 * Builds a conv2d 'same' whose filter gradient is a forward conv; its input
 * gradient is the stock kernel (`forwardInput` false) or a forward conv too.
 * tf.customGrad wraps a function and holds no tensors, so each is built once.
 */
function customConv(forwardInput: boolean, filterGrad: (x: tf.Tensor4D, dy: tf.Tensor4D, kernelSize: number) => tf.Tensor4D = conv2dFilterGradViaForward): Conv2dSame {
  const conv = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, filter, save] = args;
    if (!isTensor4D(x) || !isTensor4D(filter) || !isSaveFunc(save)) {
      throw new Error('conv2dFast: expected (x: Tensor4D, filter: Tensor4D).');
    }
    save([x, filter]);
    return {
      value: tf.conv2d(x, filter, 1, 'same'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf] = saved;
        if (!isTensor4D(dy) || !isTensor4D(sx) || !isTensor4D(sf)) throw new Error('conv2dFast: gradient inputs were lost.');
        const dx = forwardInput ? inputGradViaForward(dy, sf) : tf.conv2dTranspose(dy, sf, sx.shape, 1, 'same');
        const dFilter = filterGrad(sx, dy, sf.shape[0]);
        return [dx, dFilter];
      },
    };
  });
  return (x, filter) => {
    checkConvArgs(x, filter);
    return conv(x, filter) as tf.Tensor4D;
  };
}

/** conv2d 'same' whose filter gradient is a forward conv. Use on backends with a slow or missing Conv2DBackpropFilter. */
export const conv2dFast: Conv2dSame = customConv(false);

/** conv2d 'same' whose filter AND input gradients are forward convs (backends whose Conv2DBackpropInput is slow: WASM). */
export const conv2dForward: Conv2dSame = customConv(true);

/** conv2d 'same' whose filter gradient is the WebGPU split-K kernel (webgpu backend only). */
export const conv2dKernelGrad: Conv2dSame = customConv(false, conv2dFilterGradWebgpu);

/** The stock tfjs conv2d 'same' with its registered gradients. */
export const conv2dStock: Conv2dSame = (x, filter) => {
  checkConvArgs(x, filter);
  return tf.conv2d(x, filter, 1, 'same');
};

/**
 * The gradient path for a tfjs backend name.
 * - cpu: fast. The stock filter gradient is 25x slower (measured, see above).
 * - wasm: forward. It has no Conv2DBackpropFilter kernel at all, and its
 *   Conv2DBackpropInput is a plain loop outside XNNPACK: 8x128x128x32 -> 32,
 *   3x3 took 1474 ms against 137 ms as a forward conv (test-output bench,
 *   2 cores; on 'cpu' the two forms are within 10 % of each other, so cpu
 *   keeps the stock input gradient).
 * - webgpu: kernel (the split-K WebGPU kernel) where the hand-written kernels
 *   are enabled (tfjsPatches/kernelChoice.ts), else fast. On the H200 the 19 filter
 *   gradients of a 256x256 batch-8 fine-tuning step took 1,348 ms of kernel
 *   time with tfjs's Conv2DBackpropFilter (one thread per output looping over
 *   the whole batch) and ~363 ms as forward convs (docs/benchmarks.md).
 * - tensorflow and anything else: stock (native backprop kernels).
 */
export function convGradPathFor(backendName: string): ConvGradPath {
  if (backendName === 'cpu') return 'fast';
  if (backendName === 'wasm') return 'forward';
  if (backendName === 'webgpu') return useWebgpuKernel('filtergrad') ? 'kernel' : 'fast';
  return 'stock';
}

/** The conv implementation for a gradient path. */
export function conv2dFor(path: ConvGradPath): Conv2dSame {
  if (path === 'fast') return conv2dFast;
  if (path === 'forward') return conv2dForward;
  if (path === 'kernel') return conv2dKernelGrad;
  return conv2dStock;
}

export const convGradPaths: readonly ConvGradPath[] = ['fast', 'forward', 'stock', 'kernel'];

let forcedPath: ConvGradPath | null = null;

/** Forces one gradient path on every backend (benchmarks that compare paths); null restores the per-backend choice. */
export function forceConvGradPath(path: ConvGradPath | null): void {
  forcedPath = path;
}

/** The gradient path conv2dSame uses now. */
export function activeConvGradPath(): ConvGradPath {
  return forcedPath ?? convGradPathFor(tf.getBackend());
}

/** conv2d 'same', stride 1, using the gradient path that suits the active tfjs backend. */
export const conv2dSame: Conv2dSame = (x, filter) => conv2dFor(activeConvGradPath())(x, filter);
