/**
 * Training tensors of an interactive session: the labelled slices' images
 * (bilinear) and labels (each pixel the most frequent stroked value under it, -1 stays unlabelled: ml/resample.ts) at the training size,
 * built from the per-slice labels of InteractiveLayers.
 */
import * as tf from '@tensorflow/tfjs';
import type { FinetuneData } from '../../ml/finetuner';
import { resizeImages, resizeLabels } from '../../ml/resample';
import type { Volume } from '../../ml/volume';
import type { SliceLabels } from './interactiveLayers';

/** Builds the tensors (the caller disposes both). `volume` is normalised, on the labels' grid. */
export function sessionTrainingData(volume: Volume, slices: readonly SliceLabels[], size: number): FinetuneData {
  const { width, height } = volume;
  const perSlice = width * height;
  const images = new Float32Array(slices.length * perSlice);
  const labels = new Int32Array(slices.length * perSlice);
  slices.forEach((slice, i) => {
    images.set(volume.data.subarray(slice.k * perSlice, (slice.k + 1) * perSlice), i * perSlice);
    labels.set(slice.labels, i * perSlice);
  });
  return tf.tidy(() => ({
    images: resizeImages(tf.tensor4d(images, [slices.length, height, width, 1]), [size, size]),
    labels: resizeLabels(tf.tensor3d(labels, [slices.length, height, width], 'int32'), [size, size]),
  }));
}

/** The slices `ks` of `volume` as a small volume of their own, in that order. */
export function pickSlices(volume: Volume, ks: readonly number[]): Volume {
  const perSlice = volume.width * volume.height;
  const data = new Float32Array(ks.length * perSlice);
  ks.forEach((k, i) => data.set(volume.data.subarray(k * perSlice, (k + 1) * perSlice), i * perSlice));
  return { data, width: volume.width, height: volume.height, depth: ks.length };
}
