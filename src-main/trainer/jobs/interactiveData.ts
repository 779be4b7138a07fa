/**
 * Training tensors of an interactive session: the labelled slices' images
 * (bilinear) and labels (each pixel the most frequent stroked value under it, -1 stays unlabelled: ml/resample.ts) at the training size,
 * built from the per-slice labels of InteractiveLayers, optionally completed
 * inside closed outlines and cropped to the strokes' region of interest first
 * (finetuneData.ts).
 */
import type { EnclosedFillOptions } from '../../ml/enclosedStrokeFill';
import type { FinetuneData } from '../../ml/finetuner';
import type { SliceBox } from '../../ml/strokeBox';
import type { Volume } from '../../ml/volume';
import { trainingTensors } from './finetuneData';
import type { SliceLabels } from './interactiveLayers';

/** Builds the tensors (the caller disposes both). `volume` is normalised, on the labels' grid; `roi` crops every slice to that box first; `fill` completes the labels inside closed outlines. */
export function sessionTrainingData(volume: Volume, slices: readonly SliceLabels[], size: number, roi: SliceBox | null = null, fill: EnclosedFillOptions | null = null): FinetuneData {
  const { width, height } = volume;
  const perSlice = width * height;
  const images = new Float32Array(slices.length * perSlice);
  const labels = new Int32Array(slices.length * perSlice);
  slices.forEach((slice, i) => {
    images.set(volume.data.subarray(slice.k * perSlice, (slice.k + 1) * perSlice), i * perSlice);
    labels.set(slice.labels, i * perSlice);
  });
  return trainingTensors(images, labels, slices.length, width, height, size, roi, fill);
}

/** The slices `ks` of `volume` as a small volume of their own, in that order. */
export function pickSlices(volume: Volume, ks: readonly number[]): Volume {
  const perSlice = volume.width * volume.height;
  const data = new Float32Array(ks.length * perSlice);
  ks.forEach((k, i) => data.set(volume.data.subarray(k * perSlice, (k + 1) * perSlice), i * perSlice));
  return { data, width: volume.width, height: volume.height, depth: ks.length };
}
