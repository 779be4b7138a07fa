/**
 * The labelled slices of one volume as fine-tuning data: every slice with at
 * least one labelled voxel, at the image's own resolution (for training on
 * crops) or with its image resampled to the training size (bilinear) and its
 * labels shrunk by a footprint vote (ml/resample.ts; -1 stays unlabelled),
 * optionally cropped first to the strokes' region of interest
 * (ml/strokeBox.ts), which inference then segments alone, and with the
 * labels optionally completed inside closed outlines first
 * (ml/enclosedStrokeFill.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { fillEnclosedStrokes, thinFilled, type EnclosedFillOptions } from '../../ml/enclosedStrokeFill';
import type { FinetuneData } from '../../ml/finetuner';
import { resizeImages, resizeLabels } from '../../ml/resample';
import { balanceSeveralStructures, paintsSeveralStructures } from '../../ml/severalStructures';
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
 * labels, slice-major), their labels completed inside closed outlines when
 * `fill` is given (at the image's resolution, before anything is shrunk),
 * cropped to `roi` when given, then resized to `size` (null: kept as they
 * are). Filled labels are then balanced against the background strokes as
 * `fill.balance` says (ml/enclosedStrokeFill.ts); by default the filled
 * labels are used, with a class-balanced loss, only when a filled structure
 * outnumbers the background strokes, and the strokes as drawn otherwise.
 * With `severalStructures` (default balanceSeveralStructures), strokes of two
 * or more structures are marked for the class-balanced loss too (and so the
 * uniform prior at inference: ml/strokePrior.ts trainedPriorWeights).
 * The caller disposes both.
 */
export function trainingTensors(images: Float32Array, labels: Int32Array, count: number, width: number, height: number, size: number | null, roi: SliceBox | null = null, fill: EnclosedFillOptions | null = null, severalStructures = balanceSeveralStructures): FinetuneData {
  const data = strokeTensors(images, labels, count, width, height, size, roi, fill);
  // Several structures: the balanced CE and the uniform prior (ml/severalStructures.ts), as for labels filled inside outlines.
  return severalStructures && data.classBalanced !== true && paintsSeveralStructures(labels) ? { ...data, classBalanced: true } : data;
}

function strokeTensors(images: Float32Array, labels: Int32Array, count: number, width: number, height: number, size: number | null, roi: SliceBox | null, fill: EnclosedFillOptions | null): FinetuneData {
  const area = roi ?? { x0: 0, y0: 0, width, height };
  const completed = fill === null ? null : fillEnclosedStrokes(labels, count, width, height, fill);
  const crop = (values: Int32Array): Int32Array => (roi === null ? values : cropSlices(values, count, width, height, roi));
  const croppedImages = roi === null ? images : cropSlices(images, count, width, height, roi);
  const shrink = (values: Int32Array): tf.Tensor3D => tf.tidy(() => {
    const labelTensor = tf.tensor3d(values, [count, area.height, area.width], 'int32');
    return size === null ? labelTensor : resizeLabels(labelTensor, [size, size]);
  });
  const imageTensor = tf.tidy(() => {
    const full = tf.tensor4d(croppedImages, [count, area.height, area.width, 1]);
    return size === null ? full : resizeImages(full, [size, size]);
  });
  const strokes = shrink(crop(labels));
  if (completed === null || completed.filled === 0) return { images: imageTensor, labels: strokes };
  const croppedFill = crop(completed.labels);
  const balance = fill?.balance ?? 'auto';
  const byLoss = balance === 'loss' || (balance === 'auto' && structureOutnumbersBackground(croppedFill));
  // 'auto' with small structures against a well-painted background: the strokes as drawn, decided before the filled labels are shrunk (filled and left to the plain loss, the phantom's structures came out over-predicted: docs/eval-protocol.md, session 10).
  if (balance === 'auto' && !byLoss) return { images: imageTensor, labels: strokes };
  const filled = shrink(croppedFill);
  if (byLoss) {
    strokes.dispose();
    return { images: imageTensor, labels: filled, classBalanced: true };
  }
  // Thinned at the training size, after the footprint vote, which would otherwise spread a sparse choice back over every pixel.
  const [n, h, w] = filled.shape;
  const thinned = thinFilled(filled.dataSync() as Int32Array, strokes.dataSync() as Int32Array, n, h * w);
  tf.dispose([filled, strokes]);
  return { images: imageTensor, labels: tf.tensor3d(thinned, [n, h, w], 'int32') };
}

/** Whether some structure (> 0) has more labelled pixels than the background (0). */
function structureOutnumbersBackground(labels: Int32Array): boolean {
  const counts = new Map<number, number>();
  for (const c of labels) if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
  const background = counts.get(0) ?? 0;
  return [...counts].some(([c, n]) => c > 0 && n > background);
}

/** Builds the tensors (the caller disposes both). `volume` is normalised, single channel, on the labels' grid; `size` null keeps its resolution; `roi` crops every slice to that box first; `fill` completes the labels inside closed outlines; `severalStructures` as trainingTensors. */
export function finetuneDataOf(volume: Volume, labels: Int32Array, slices: readonly number[], size: number | null, roi: SliceBox | null = null, fill: EnclosedFillOptions | null = null, severalStructures = balanceSeveralStructures): FinetuneData {
  const { width, height } = volume;
  const perSlice = width * height;
  const images = new Float32Array(slices.length * perSlice);
  const picked = new Int32Array(slices.length * perSlice);
  slices.forEach((z, i) => {
    images.set(volume.data.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
    picked.set(labels.subarray(z * perSlice, (z + 1) * perSlice), i * perSlice);
  });
  return trainingTensors(images, picked, slices.length, width, height, size, roi, fill, severalStructures);
}
