/**
 * Parameterised layers over a ParamStore: 'same' convolutions (through
 * conv2dFastGrad, so the CPU backend gets the fast filter gradient), the 2x2
 * stride-2 transposed convolution, and dense layers. Each has an add* builder
 * (creates named parameters with the reference init) and an apply function.
 */
import * as tf from '@tensorflow/tfjs';
import { activeChannelOpsPath, biasAdd } from './channelOps';
import { conv2dSame } from './conv2dFastGrad';
import { kaimingNormal, linearDefault } from './init';
import type { ParamStore } from './paramStore';

/** Derives a per-parameter seed from the model seed and the parameter name (stable across code changes elsewhere). */
export function paramSeed(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i += 1) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x7fffffff;
}

/** Adds `${name}.w` [k, k, cin, cout] (Kaiming, fan_in = cin*k*k) and, with bias, `${name}.b` (zeros). */
export function addConv(store: ParamStore, name: string, k: number, cin: number, cout: number, bias: boolean, seed: number): void {
  store.add(`${name}.w`, kaimingNormal([k, k, cin, cout], cin * k * k, paramSeed(seed, `${name}.w`)), 'trainable');
  if (bias) store.add(`${name}.b`, tf.zeros([cout]), 'trainable');
}

/** 'same', stride-1 convolution `name` (bias when the store has `${name}.b`). */
export function conv(store: ParamStore, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const y = conv2dSame(x, store.get(`${name}.w`) as tf.Tensor4D);
  return store.has(`${name}.b`) ? biasAdd(y, store.get(`${name}.b`)) : y;
}

/**
 * Adds a ConvTranspose2d(k=2, s=2) `${name}.w` in tfjs's conv2dTranspose
 * layout [2, 2, cout, cin] and `${name}.b` (zeros). Init: Kaiming with
 * PyTorch's fan_in for ConvTranspose2d, which is cout*2*2 (dim 1 of its
 * [cin, cout, 2, 2] weight), exactly what the reference code gets.
 */
export function addConvTranspose2x2(store: ParamStore, name: string, cin: number, cout: number, seed: number): void {
  store.add(`${name}.w`, kaimingNormal([2, 2, cout, cin], cout * 4, paramSeed(seed, `${name}.w`)), 'trainable');
  store.add(`${name}.b`, tf.zeros([cout]), 'trainable');
}

/**
 * ConvTranspose 2x2 stride 2 on x [B, H, W, cin] -> [B, 2H, 2W, cout].
 *
 * With kernel = stride = 2 the output windows do not overlap, so it is one
 * matmul, y[b, 2i+di, 2j+dj, o] = sum_c x[b, i, j, c] * w[di, dj, o, c],
 * followed by a pixel shuffle. Same numbers as tf.conv2dTranspose (tested), but
 * its gradients are a matmul and transposes: tf.conv2dTranspose's filter
 * gradient is the CPU backend's pathologically slow Conv2DBackpropFilter.
 */
export function convTranspose2x2(store: ParamStore, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const w = store.get(`${name}.w`);
  const [b, h, wd, cin] = x.shape;
  const cout = w.shape[2] ?? 0;
  if (w.shape[3] !== cin) throw new Error(`convTranspose2x2 ${name}: expects ${w.shape[3]} input channels, got [${x.shape.join(', ')}].`);
  const rows = tf.reshape(x, [b * h * wd, cin]);
  const y = activeChannelOpsPath() === 'wasm' ? pixelMatmulPlain(rows, w) : tf.matMul(rows, tf.reshape(tf.transpose(w, [3, 0, 1, 2]), [cin, 4 * cout])); // [(b, i, j), (di, dj, o)]
  const shuffled = tf.transpose(tf.reshape(y, [b * h, wd, 2, 2 * cout]), [0, 2, 1, 3]); // [(b, i), di, j, (dj, o)]
  return biasAdd(tf.reshape(shuffled, [b, 2 * h, 2 * wd, cout]) as tf.Tensor4D, store.get(`${name}.b`));
}

/**
 * x [n, cin] @ wm with wm [cin, (di, dj, o)] from w [2, 2, cout, cin], with
 * gradients that are plain matmuls too. tfjs-backend-wasm runs a matmul in
 * XNNPACK only without transposed operands; autodiff of tf.matMul gives
 * dx = dy wm^T and dw = x^T dy, which run in its scalar fallback loop
 * (40-60 ms a layer in a profiled 64x64 fine-tuning step). Here wm^T is w
 * itself reshaped, and dw is (dy^T) x with dy transposed by one Transpose.
 */
const pixelMatmulPlain = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, w]);
  const wT = (wt: tf.Tensor4D): tf.Tensor2D => tf.reshape(wt, [wt.shape[0] * wt.shape[1] * wt.shape[2], wt.shape[3]]); // [(di, dj, o), cin]
  return {
    value: tf.tidy(() => tf.matMul(x, tf.transpose(wT(w)))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor4D];
      const dx = tf.matMul(dy as tf.Tensor2D, wT(sw));
      const dw = tf.reshape(tf.matMul(tf.transpose(dy as tf.Tensor2D), sx), sw.shape);
      return [dx, dw];
    },
  };
});

/** Adds a dense layer `${name}.w` [in, out] and `${name}.b` with PyTorch's nn.Linear default init. */
export function addLinear(store: ParamStore, name: string, nin: number, nout: number, seed: number): void {
  store.add(`${name}.w`, linearDefault([nin, nout], nin, paramSeed(seed, `${name}.w`)), 'trainable');
  store.add(`${name}.b`, linearDefault([nout], nin, paramSeed(seed, `${name}.b`)), 'trainable');
}

/** Dense layer `name` on x [B, in]. */
export function linear(store: ParamStore, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return biasAdd(tf.matMul(x, store.get(`${name}.w`) as tf.Tensor2D), store.get(`${name}.b`));
}

/** LeakyReLU's negative slope: PyTorch's default 0.01 (tfjs defaults to 0.2; docs/macl-method.md 1.1). */
const leakySlope = 0.01;

/**
 * LeakyReLU for the 'wasm' path: the same values and gradient as
 * tf.leakyRelu, but through kernels XNNPACK runs. tfjs-backend-wasm's
 * LeakyRelu is a plain loop and its gradient a Greater, a Select and a
 * Multiply, each a plain loop too (1.5 and 2.0 ms CPU for 4x64x64x16); Prelu
 * with a scalar slope is XNNPACK's (0.45 ms), and the gradient as
 * dy * (step(x) * (1 - slope) + slope) is three cheap elementwise ops
 * (0.25 ms). Both give exactly dy for x > 0 and dy * slope otherwise.
 */
const leakyViaPrelu = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.tidy(() => tf.prelu(x, tf.scalar(leakySlope))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx] = saved as [tf.Tensor];
      return [tf.mul(dy, tf.add(tf.mul(tf.step(sx), 1 - leakySlope), leakySlope))];
    },
  };
});

/** LeakyReLU with slope 0.01. */
export function leaky<T extends tf.Tensor>(x: T): T {
  if (activeChannelOpsPath() === 'wasm') return leakyViaPrelu(x) as T;
  return tf.leakyRelu(x, leakySlope);
}
