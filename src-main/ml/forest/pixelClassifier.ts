/**
 * The pixel classifier of the interactive loop's quick answer: a random
 * forest (randomForest.ts) on the multi-scale features (pixelFeatures.ts) of
 * the stroked voxels, trained in about a second on the same strokes as the
 * network, then applied slice by slice. It knows no anatomy beyond local
 * intensity and texture, so it is a first answer shown while the network
 * trains, not a replacement for it (docs/interactive-loop.md).
 */
import type { Volume } from '../volume';
import { featureCount, sliceFeatures } from './pixelFeatures';
import { forestLabels, trainForest, type Forest, type ForestOptions } from './randomForest';

/** One stroked slice: class per voxel of slice k (-1 unlabelled). */
export interface StrokedSlice {
  readonly k: number;
  readonly labels: Int32Array;
}

/**
 * Trains on every labelled voxel of `slices` of `volume` (normalised, one
 * channel). `classes` is the label count including background (0). Throws
 * as trainForest does when nothing or only one class is stroked.
 */
export function trainPixelClassifier(volume: Volume, slices: readonly StrokedSlice[], classes: number, options: ForestOptions = {}): Forest {
  const { width, height } = volume;
  const perSlice = width * height;
  const picked: { features: Float32Array; rows: number[] }[] = [];
  const labels: number[] = [];
  for (const slice of slices) {
    if (slice.labels.length !== perSlice) throw new Error(`trainPixelClassifier: slice ${slice.k} has ${slice.labels.length} labels, the ${width}x${height} grid needs ${perSlice}.`);
    const rows: number[] = [];
    for (let i = 0; i < perSlice; i += 1) {
      const c = slice.labels[i] as number;
      if (c < 0) continue;
      rows.push(i);
      labels.push(c);
    }
    if (rows.length > 0) picked.push({ features: sliceFeatures(volume.data.subarray(slice.k * perSlice, (slice.k + 1) * perSlice), width, height), rows });
  }
  const samples = labels.length;
  const values = new Float32Array(samples * featureCount);
  let offset = 0;
  for (const { features, rows } of picked) {
    for (let f = 0; f < featureCount; f += 1) {
      const column = f * samples + offset;
      const source = f * perSlice;
      rows.forEach((i, r) => {
        values[column + r] = features[source + i] as number;
      });
    }
    offset += rows.length;
  }
  return trainForest(values, Int32Array.from(labels), featureCount, classes, options);
}

/** The forest's labels (0..classes-1) of slice k of `volume`, x fastest. */
export function classifySlice(forest: Forest, volume: Volume, k: number): Uint8Array {
  const { width, height } = volume;
  const perSlice = width * height;
  if (!Number.isInteger(k) || k < 0 || k >= volume.depth) throw new Error(`classifySlice: slice ${k} is outside 0..${volume.depth - 1}.`);
  return forestLabels(forest, sliceFeatures(volume.data.subarray(k * perSlice, (k + 1) * perSlice), width, height), perSlice);
}
