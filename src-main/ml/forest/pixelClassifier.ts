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

/** A trained classifier and the features it was trained on. */
export interface PixelClassifier {
  readonly forest: Forest;
  /** The voxel's position (x, y, slice) is among the features (compactStrokes). */
  readonly location: boolean;
}

/** How much of the field of view a structure's strokes may span, on each axis, for the voxel's position to become a feature. */
export const compactStrokeSpan = 0.25;

/**
 * Whether every painted structure is compact: its strokes, over all slices,
 * span less than compactStrokeSpan of the slice on both axes. Then where a
 * voxel lies says much about what it is (a nucleus is where it was painted,
 * and intensity alone does not tell it from the grey matter around it:
 * measured on the Colin27 deep grey nuclei, docs/eval-protocol.md), while a
 * large structure's outline changes from slice to slice, so a position
 * learnt on three slices misleads on the others (the whole brain lost 0.07
 * Dice with it).
 */
export function compactStrokes(slices: readonly StrokedSlice[], width: number, height: number): boolean {
  const box = new Map<number, [number, number, number, number]>();
  for (const slice of slices) {
    for (let i = 0; i < slice.labels.length; i += 1) {
      const c = slice.labels[i] as number;
      if (c <= 0) continue;
      const x = i % width;
      const y = Math.floor(i / width);
      const b = box.get(c);
      if (b === undefined) box.set(c, [x, x, y, y]);
      else {
        b[0] = Math.min(b[0], x);
        b[1] = Math.max(b[1], x);
        b[2] = Math.min(b[2], y);
        b[3] = Math.max(b[3], y);
      }
    }
  }
  if (box.size === 0) return false;
  return [...box.values()].every(([x0, x1, y0, y1]) => (x1 - x0 + 1) / width < compactStrokeSpan && (y1 - y0 + 1) / height < compactStrokeSpan);
}

/** Features of slice k: sliceFeatures, then with `location` the voxel's x, y and slice, each over the volume's largest dimension. */
function featuresOf(volume: Volume, k: number, location: boolean): Float32Array {
  const { width, height, depth } = volume;
  const n = width * height;
  const base = sliceFeatures(volume.data.subarray(k * n, (k + 1) * n), width, height);
  if (!location) return base;
  const out = new Float32Array((featureCount + 3) * n);
  out.set(base, 0);
  const scale = Math.max(width, height, depth);
  const [xs, ys, zs] = [featureCount * n, (featureCount + 1) * n, (featureCount + 2) * n];
  out.fill(k / scale, zs, zs + n);
  for (let i = 0; i < n; i += 1) {
    out[xs + i] = (i % width) / scale;
    out[ys + i] = Math.floor(i / width) / scale;
  }
  return out;
}

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
export function trainPixelClassifier(volume: Volume, slices: readonly StrokedSlice[], classes: number, options: ForestOptions = {}): PixelClassifier {
  const { width, height } = volume;
  const perSlice = width * height;
  const location = compactStrokes(slices, width, height);
  const features = featureCount + (location ? 3 : 0);
  const picked: { values: Float32Array; rows: number[] }[] = [];
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
    if (rows.length > 0) picked.push({ values: featuresOf(volume, slice.k, location), rows });
  }
  const samples = labels.length;
  const values = new Float32Array(samples * features);
  let offset = 0;
  for (const picks of picked) {
    const { rows } = picks;
    for (let f = 0; f < features; f += 1) {
      const column = f * samples + offset;
      const source = f * perSlice;
      rows.forEach((i, r) => {
        values[column + r] = picks.values[source + i] as number;
      });
    }
    offset += rows.length;
  }
  return { forest: trainForest(values, Int32Array.from(labels), features, classes, options), location };
}

/** The forest's labels (0..classes-1) of slice k of `volume`, x fastest. */
export function classifySlice(classifier: PixelClassifier, volume: Volume, k: number): Uint8Array {
  const { width, height } = volume;
  const perSlice = width * height;
  if (!Number.isInteger(k) || k < 0 || k >= volume.depth) throw new Error(`classifySlice: slice ${k} is outside 0..${volume.depth - 1}.`);
  return forestLabels(classifier.forest, featuresOf(volume, k, classifier.location), perSlice);
}
