/**
 * Intensity augmentation for fine-tuning: per image a random gamma, contrast
 * and brightness, plus Gaussian noise. Strokes on three slices show the
 * network three slices' worth of intensities; elsewhere in the volume a bias
 * field and partial volume shift them, and a network fitted to the exact
 * values of the stroked slices leaks across tissue boundaries there. The
 * labels do not change. Inputs are normalised to [0, 1] (normalize.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from './random';

/** Ranges of the intensity augmentation. */
export interface IntensityAugmentOptions {
  /** Gamma range; x -> x^gamma on [0, 1] (default [0.7, 1.5]). */
  readonly gamma?: readonly [number, number];
  /** Contrast factor range around the image's mean (default [0.85, 1.15]). */
  readonly contrast?: readonly [number, number];
  /** Largest brightness shift (default 0.05). */
  readonly brightness?: number;
  /** Noise standard deviation (default 0.02). */
  readonly noise?: number;
}

/** Applies one random gamma, contrast, brightness and noise draw per image of [B, H, W, C]; run it outside the gradient tape. */
export function augmentIntensity(images: tf.Tensor4D, rng: Rng, options: IntensityAugmentOptions = {}): tf.Tensor4D {
  const [gLow, gHigh] = options.gamma ?? [0.7, 1.5];
  const [cLow, cHigh] = options.contrast ?? [0.85, 1.15];
  const brightness = options.brightness ?? 0.05;
  const noise = options.noise ?? 0.02;
  if (!(gLow > 0 && gHigh >= gLow && cLow > 0 && cHigh >= cLow && brightness >= 0 && noise >= 0)) {
    throw new Error('augmentIntensity: gamma and contrast ranges must be positive and ordered, brightness and noise >= 0.');
  }
  const b = images.shape[0];
  const gammas = Float32Array.from({ length: b }, () => Math.exp(rng.uniform(Math.log(gLow), Math.log(gHigh))));
  const contrasts = Float32Array.from({ length: b }, () => rng.uniform(cLow, cHigh));
  const shifts = Float32Array.from({ length: b }, () => rng.uniform(-brightness, brightness));
  const noiseSeed = rng.seed();
  return tf.tidy(() => {
    const perImage = (values: Float32Array): tf.Tensor4D => tf.tensor4d(values, [b, 1, 1, 1]);
    const gammaed = tf.pow(tf.clipByValue(images, 0, 1), perImage(gammas));
    const mean = tf.mean(gammaed, [1, 2, 3], true);
    const contrasted = tf.add(tf.mul(tf.sub(gammaed, mean), perImage(contrasts)), tf.add(mean, perImage(shifts)));
    return (noise > 0 ? tf.add(contrasted, tf.randomNormal(images.shape, 0, noise, 'float32', noiseSeed)) : contrasted) as tf.Tensor4D;
  });
}
