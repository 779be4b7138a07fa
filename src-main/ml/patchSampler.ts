/**
 * Training crops at the image's own resolution. Shrinking a whole slice to
 * the training size (64 px on a processor) leaves a structure of a few
 * thousand voxels a handful of pixels wide; cropping keeps every voxel and
 * the network, being fully convolutional, segments whole slices later.
 *
 * Each crop is centred near a stroked pixel: a class is drawn uniformly
 * among the classes stroked on the slices, then a pixel of that class, so a
 * small structure's stroke is seen as often as the background's. The pixel
 * lands anywhere in the inner three quarters of the crop (random offset), so
 * the network sees it with different context. Where a crop leaves the slice
 * it is padded: image 0, label -1 (unlabelled).
 */
import type { Rng } from './random';

/**
 * How slices meet the network: 'resize' (the product's design) resamples
 * whole slices to size x size both ways; 'patches' trains on crops at the
 * image's own resolution and segments whole slices at it (an option of the
 * evaluation so far: docs/eval-protocol.md has its measurements).
 */
export type SliceSampling = 'patches' | 'resize';

/** Labelled slices on the image's grid, slice-major (as FinetuneData, read back to memory). */
export interface PatchSource {
  /** [count, height, width, channels] */
  readonly images: Float32Array;
  /** [count, height, width], -1 = unlabelled */
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** One batch of crops: images [batch, patch, patch, channels], labels [batch, patch, patch]. */
export interface PatchBatch {
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

/** Draws crops of patch x patch around stroked pixels. */
export interface PatchSampler {
  readonly patch: number;
  /** Stroked pixels per class (index = class). */
  readonly classCounts: readonly number[];
  sample(batch: number, rng: Rng): PatchBatch;
}

/** Indexes the stroked pixels of `source` by class (once: strokes do not change between steps). */
export function createPatchSampler(source: PatchSource, patch: number): PatchSampler {
  const { count, height, width, channels } = source;
  if (!Number.isInteger(patch) || patch < 1) throw new Error(`createPatchSampler: patch must be a positive integer, got ${patch}.`);
  const plane = height * width;
  if (source.labels.length !== count * plane || source.images.length !== count * plane * channels) {
    throw new Error(`createPatchSampler: ${source.images.length} image and ${source.labels.length} label values do not fit ${count} slices of ${width}x${height}x${channels}.`);
  }
  let maxClass = -1;
  for (const c of source.labels) maxClass = Math.max(maxClass, c);
  const byClass: number[][] = Array.from({ length: maxClass + 1 }, () => []);
  source.labels.forEach((c, i) => {
    if (c >= 0) byClass[c]?.push(i);
  });
  const present = byClass.map((list, c) => (list.length > 0 ? c : -1)).filter((c) => c >= 0);
  if (present.length === 0) throw new Error('createPatchSampler: no pixel is labelled.');

  /** A crop origin along one axis of length n that puts `at` in the inner 3/4 of the crop (or anywhere when the axis is shorter than the crop). */
  const origin = (at: number, n: number, rng: Rng): number => {
    const wanted = at - Math.floor(patch / 8) - rng.int(Math.max(1, patch - 2 * Math.floor(patch / 8)));
    const low = Math.min(0, n - patch);
    const high = Math.max(0, n - patch);
    return Math.max(low, Math.min(high, wanted));
  };

  return {
    patch,
    classCounts: byClass.map((list) => list.length),
    sample(batch, rng) {
      const images = new Float32Array(batch * patch * patch * channels);
      const labels = new Int32Array(batch * patch * patch).fill(-1);
      for (let b = 0; b < batch; b += 1) {
        const cls = present[rng.int(present.length)] ?? 0;
        const list = byClass[cls] ?? [];
        const flat = list[rng.int(list.length)] ?? 0;
        const slice = Math.floor(flat / plane);
        const y = Math.floor((flat % plane) / width);
        const x = flat % width;
        const y0 = origin(y, height, rng);
        const x0 = origin(x, width, rng);
        const xFrom = Math.max(0, x0);
        const xTo = Math.min(width, x0 + patch);
        for (let py = 0; py < patch; py += 1) {
          const sy = y0 + py;
          if (sy < 0 || sy >= height || xTo <= xFrom) continue;
          const row = slice * plane + sy * width;
          const outRow = (b * patch + py) * patch + (xFrom - x0);
          labels.set(source.labels.subarray(row + xFrom, row + xTo), outRow);
          images.set(source.images.subarray((row + xFrom) * channels, (row + xTo) * channels), outRow * channels);
        }
      }
      return { images, labels };
    },
  };
}
