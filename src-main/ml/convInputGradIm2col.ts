/**
 * The input gradient of a 'same', stride-1 conv with an odd k x k kernel as
 * one matrix product over an im2col of dy:
 *   dx[p, c] = sum over (o, t) of cols[p, (o, t)] * B[(o, t), c],
 * where cols[p, (o, t)] = dy at pixel p shifted by tap t turned by 180 degrees
 * (a depthwise conv of dy with a constant one-hot filter, channel multiplier
 * k*k), and B[(o, t), c] = W[t, c, o] (W [k, k, Cin, Cout] transposed to
 * [Cout, k*k, Cin]).
 *
 * Why (the 'wasm' backend, deep layers): tfjs-backend-wasm's Conv2D, on a
 * filter it has not seen, copies the whole filter into a transposed buffer and
 * XNNPACK packs it, both on one thread, before the threaded convolution; the
 * turned filter of conv2dInputGradViaForward is new every step and costs two
 * more passes (a Transpose and the anti-identity product). Here the filter
 * takes one Transpose and XNNPACK's packing of the matmul weights, and the
 * depthwise filter never changes. Where the layer has few pixels for its
 * weights that is cheaper; with many pixels the k*k-fold im2col costs more
 * than it saves (im2colInputGradPays).
 */
import * as tf from '@tensorflow/tfjs';

/** One-hot depthwise filters [k, k, C, k*k] by "k:C", as values (tensors are made per call, so none outlives a tidy). */
const oneHotValues = new Map<string, Float32Array>();

/**
 * The depthwise filter whose output channel (c, t) picks, at each pixel, input
 * channel c at the tap t = (i, j) turned by 180 degrees: offset (p - i, p - j)
 * with p = (k - 1) / 2, i.e. filter position (k-1-i, k-1-j).
 */
function turnedOneHot(k: number, channels: number): tf.Tensor4D {
  const key = `${k}:${channels}`;
  let values = oneHotValues.get(key);
  if (values === undefined) {
    const taps = k * k;
    values = new Float32Array(taps * channels * taps);
    for (let t = 0; t < taps; t += 1) {
      const position = (k - 1 - Math.floor(t / k)) * k + (k - 1 - (t % k));
      for (let c = 0; c < channels; c += 1) values[(position * channels + c) * taps + t] = 1;
    }
    oneHotValues.set(key, values);
  }
  return tf.tensor4d(values, [k, k, channels, k * k]);
}

/** dx [B, H, W, Cin] of a 'same', stride-1 conv with filter [k, k, Cin, Cout], from dy [B, H, W, Cout]. */
export function conv2dInputGradIm2col(dy: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [k, , cin, cout] = filter.shape;
    const [b, h, w] = dy.shape;
    const taps = k * k;
    const cols = tf.reshape(tf.depthwiseConv2d(dy, turnedOneHot(k, cout), 1, 'same'), [b * h * w, cout * taps]);
    const weights = tf.reshape(tf.transpose(tf.reshape(filter, [taps, cin, cout]), [2, 0, 1]), [cout * taps, cin]);
    return tf.reshape(tf.matMul(cols as tf.Tensor2D, weights as tf.Tensor2D), [b, h, w, cin]);
  });
}

/**
 * Whether the im2col form is the cheaper input gradient on the WASM backend:
 * for a 3x3 layer when its pixels (B*H*W) are at most twice its input
 * channels. Measured on one thread, process CPU time per call with a new
 * filter each call (docs/benchmarks.md, 2026-12-07): im2col 3.3 against 4.3 ms
 * for dy 4x8x8x128 -> 128 channels, 8.3 against 12.7 ms for 8x4x4x256 -> 256,
 * 1.0 against 2.2 ms for 8x2x2x128; even at 8x8x8x128 (5.8 / 5.8 ms); worse
 * from 4x16x16x64 on (4.1 against 3.2 ms).
 */
export function im2colInputGradPays(dyShape: readonly number[], filterShape: readonly number[]): boolean {
  const [b = 0, h = 0, w = 0] = dyShape;
  const [k = 0, , cin = 0] = filterShape;
  return k > 1 && b * h * w <= 2 * cin;
}
