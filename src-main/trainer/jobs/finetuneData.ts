/**
 * The labelled slices of one volume as fine-tuning data: every slice with at
 * least one labelled voxel, at the image's own resolution (for training on
 * crops) or with its image resampled to the training size (bilinear) and its
 * labels shrunk by a footprint vote (ml/resample.ts; -1 stays unlabelled),
 * optionally cropped first to the strokes' region of interest
 * (ml/strokeBox.ts), which inference then segments alone.
 */
import * as tf from '@tensorflow/tfjs';
import type { FinetuneData } from '../../ml/finetuner';
import { resizeImages, resizeLabels } from '../../ml/resample';
import { cropSlices, type SliceBox } from '../../ml/strokeBox';
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

/**
 * The tensors of `count` slices of `width` x `height` (images and training
 * labels, slice-major), cropped to `roi` when given, then resized to `size`
 * (null: kept as they are). The caller disposes both.
 */
export function trainingTensors(images: Float32Array, labels: Int32Array, count: number, width: number, height: number, size: number | null, roi: SliceBox | null = null): FinetuneData {
  const area = roi ?? { x0: 0, y0: 0, width, height };
  const croppedImages = roi === null ? images : cropSlices(images, count, width, height, roi);
  const croppedLabels = roi === null ? labels : cropSlices(labels, count, width, height, roi);
  return tf.tidy(() => {
    const imageTensor = tf.tensor4d(croppedImages, [count, area.height, area.width, 1]);
    const labelTensor = tf.tensor3d(croppedLabels, [count, area.height, area.width], 'int32');
    if (size === null) return { images: imageTensor, labels: labelTensor };
    return { images: resizeImages(imageTensor, [size, size]), labels: resizeLabels(labelTensor, [size, size]) };
  });
}

/** Builds the tensors (the caller disposes both). `volume` is normalised, single channel, on the labels' grid; `size` null keeps its resolution; `roi` crops every slice to that box first. */
export function finetuneDataOf(volume: Volume, labels: Int32Array, slices: readonly number[], size: number | null, roi: SliceBox | null = null): FinetuneData {
  const { width, height } = volume;
  const perSlice = width * height;
  const images = new Float32Array(slices.length * perSlice);
  const picked = new Int32Array(slices.length * perSlice);
  slices.forEach((z, i) => {
    images.set(volume.data.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
    picked.set(labels.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
  });
  return trainingTensors(images, picked, slices.length, width, height, size, roi);
}
