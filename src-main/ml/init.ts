/**
 * Weight initialisers matching the reference PyTorch code
 * (network/unet2d.py, `InitWeights_He(1e-2)`; docs/macl-method.md 1.1).
 */
import * as tf from '@tensorflow/tfjs';

/** LeakyReLU slope used by kaiming_normal_(a = 0.01). */
export const kaimingSlope = 0.01;

/** Kaiming-normal std for fan_in: gain / sqrt(fan_in), gain = sqrt(2 / (1 + a^2)). */
export function kaimingStd(fanIn: number, a = kaimingSlope): number {
  return Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fanIn);
}

/**
 * Kaiming-normal tensor. `fanIn` follows PyTorch's rule: dim 1 of the PyTorch
 * weight times the receptive field, which is in*k*k for Conv2d but out*k*k for
 * ConvTranspose2d (PyTorch stores those as [in, out, k, k]); callers pass it.
 */
export function kaimingNormal(shape: number[], fanIn: number, seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, kaimingStd(fanIn), 'float32', seed);
}

/**
 * PyTorch's default nn.Linear init (kaiming_uniform with a = sqrt(5)):
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias. The reference code's
 * He init only touches conv layers, so the projector MLPs keep this default.
 */
export function linearDefault(shape: number[], fanIn: number, seed: number): tf.Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform(shape, -bound, bound, 'float32', seed);
}
