/**
 * Volumes as the model code sees them: Float32 voxels, slice-major
 * (index = ((z * height + y) * width + x) * channels + c), already normalised
 * (see normalize.ts). Reading files and geometry stays outside src-main/ml.
 */
import * as tf from '@tensorflow/tfjs';

/** A normalised volume in slice-major order (see the file comment). */
export interface Volume {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  /** Channels per voxel (default 1). */
  readonly channels?: number;
}

/** Throws a readable error unless the dimensions are positive integers that match data.length. */
export function checkVolume(volume: Volume, where: string): void {
  const { width, height, depth } = volume;
  const channels = volume.channels ?? 1;
  for (const [name, value] of [['width', width], ['height', height], ['depth', depth], ['channels', channels]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${where}: volume ${name} must be a positive integer, got ${value}.`);
  }
  const expected = width * height * depth * channels;
  if (volume.data.length !== expected) {
    throw new Error(`${where}: volume data has ${volume.data.length} values, ${width}x${height}x${depth}x${channels} needs ${expected}.`);
  }
}

/** Voxels per slice (all channels). */
export function sliceSize(volume: Volume): number {
  return volume.width * volume.height * (volume.channels ?? 1);
}

/** Slices start .. start+count-1 as [count, height, width, channels]. */
export function slicesTensor(volume: Volume, start: number, count: number): tf.Tensor4D {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || start + count > volume.depth) {
    throw new Error(`slicesTensor: slices ${start}..${start + count - 1} are outside 0..${volume.depth - 1}.`);
  }
  const n = sliceSize(volume);
  return tf.tensor4d(volume.data.subarray(start * n, (start + count) * n), [count, volume.height, volume.width, volume.channels ?? 1]);
}

/** Normalised position of slice k in a volume of n slices: p = (k + 1) / n (docs/macl-method.md 3.1). */
export function slicePosition(k: number, depth: number): number {
  return (k + 1) / depth;
}
