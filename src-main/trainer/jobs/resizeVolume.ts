/**
 * Prepares a series' voxels for the model: per-volume percentile
 * normalisation (ml/normalize.ts) and, for training pools, in-plane
 * resampling to the training size ahead of time, so a pool of many volumes
 * holds size x size slices instead of full-resolution ones.
 */
import * as tf from '@tensorflow/tfjs';
import { normalizeIntensities } from '../../ml/normalize';
import { resizeImages } from '../../ml/resample';
import { slicesTensor, type Volume } from '../../ml/volume';
import type { LoadedVolume } from '../../importing/volumeLoader';

/** The normalised single-channel volume of a loaded series, on its own grid. */
export function modelVolumeOf(loaded: LoadedVolume): Volume {
  const [width, height, depth] = loaded.geometry.dimensions;
  return { data: normalizeIntensities(loaded.voxels), width, height, depth };
}

/** Slices resampled per chunk: bounds the device memory a 512x512x600 volume needs at once. */
const chunkSlices = 16;

/** `volume` with every slice resampled (bilinear, half-pixel centres) to size x size; the same volume when it already is. */
export async function resizeVolumeInPlane(volume: Volume, size: number): Promise<Volume> {
  if (volume.width === size && volume.height === size) return volume;
  const channels = volume.channels ?? 1;
  const perSlice = size * size * channels;
  const data = new Float32Array(perSlice * volume.depth);
  for (let start = 0; start < volume.depth; start += chunkSlices) {
    const count = Math.min(chunkSlices, volume.depth - start);
    const resized = tf.tidy(() => resizeImages(slicesTensor(volume, start, count), [size, size]));
    try {
      data.set(await resized.data(), start * perSlice);
    } finally {
      resized.dispose();
    }
  }
  return { data, width: size, height: size, depth: volume.depth, channels };
}
