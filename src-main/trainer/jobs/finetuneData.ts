/**
 * The labelled slices of one volume as fine-tuning data: every slice with at
 * least one labelled voxel, at the image's own resolution (for training on
 * crops) or with its image resampled to the training size (bilinear) and its
 * labels shrunk by a footprint vote (ml/resample.ts; -1 stays unlabelled).
 */
import * as tf from '@tensorflow/tfjs';
import type { FinetuneData } from '../../ml/finetuner';
import { resizeImages, resizeLabels } from '../../ml/resample';
import type { Volume } from '../../ml/volume';

/** Indices of the slices holding at least one labelled voxel. */
export function labelledSlices(labels: Int32Array, width: number, height: number, depth: number): number[] {
  const perSlice = width * height;
  const found: number[] = [];
  for (let z = 0; z < depth; z++) {
    for (let i = z * perSlice; i < (z + 1) * perSlice; i++) {
      if ((labels[i] ?? -1) >= 0) {
        found.push(z);
        break;
      }
    }
  }
  return found;
}

/** Builds the tensors (the caller disposes both). `volume` is normalised, single channel, on the labels' grid; `size` null keeps its resolution. */
export function finetuneDataOf(volume: Volume, labels: Int32Array, slices: readonly number[], size: number | null): FinetuneData {
  const { width, height } = volume;
  const perSlice = width * height;
  const images = new Float32Array(slices.length * perSlice);
  const picked = new Int32Array(slices.length * perSlice);
  slices.forEach((z, i) => {
    images.set(volume.data.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
    picked.set(labels.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
  });
  return tf.tidy(() => {
    const imageTensor = tf.tensor4d(images, [slices.length, height, width, 1]);
    const labelTensor = tf.tensor3d(picked, [slices.length, height, width], 'int32');
    if (size === null) return { images: imageTensor, labels: labelTensor };
    return { images: resizeImages(imageTensor, [size, size]), labels: resizeLabels(labelTensor, [size, size]) };
  });
}
