/**
 * The unlabelled slices SimCVD learns from: every slice of the scan being
 * labelled that holds no stroke, resampled to the training size.
 */
import * as tf from '@tensorflow/tfjs';
import { resizeImages } from '../resample';
import { checkVolume, sliceSize, type Volume } from '../volume';

/** Slices of `volume` not in `labelled`, as [M, size, size, C] (the caller disposes it; M may be 0). */
export function unlabelledSlices(volume: Volume, labelled: readonly number[], size: number): tf.Tensor4D {
  checkVolume(volume, 'unlabelledSlices');
  const skip = new Set(labelled);
  const kept = Array.from({ length: volume.depth }, (_, z) => z).filter((z) => !skip.has(z));
  const channels = volume.channels ?? 1;
  if (kept.length === 0) return tf.zeros([0, size, size, channels]);
  const n = sliceSize(volume);
  const data = new Float32Array(kept.length * n);
  kept.forEach((z, i) => data.set(volume.data.subarray(z * n, (z + 1) * n), i * n));
  return tf.tidy(() => resizeImages(tf.tensor4d(data, [kept.length, volume.height, volume.width, channels]), [size, size]));
}
