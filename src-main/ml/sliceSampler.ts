/**
 * Draws pre-training batches: B slices from many volumes, each with its
 * normalised position p = (k + 1) / n (docs/macl-method.md 3.1), resampled to the training
 * size. The positional SupCon needs a batch that mixes depths (docs/macl-method.md 6.1 item
 * 3), so by default the B slices are stratified over p: slice i aims at a
 * uniform position in [i/B, (i+1)/B) of a randomly chosen volume.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from './random';
import { resizeImages } from './resample';
import { checkVolume, slicePosition, slicesTensor, type Volume } from './volume';

/** How slice positions are drawn: stratified over p (default) or uniformly. */
export type SliceStrategy = 'stratified' | 'uniform';

/** Sampler settings. */
export interface SliceSamplerOptions {
  /** Square training size (H = W). */
  readonly size: number;
  readonly seed?: number;
  readonly strategy?: SliceStrategy;
}

/** Which slice of which volume. */
export interface SlicePick {
  readonly volume: number;
  readonly slice: number;
}

/** A pre-training batch and where its slices came from. */
export interface SliceBatch {
  /** [B, size, size, C] */
  readonly images: tf.Tensor4D;
  readonly positions: number[];
  readonly picks: SlicePick[];
}

/** Draws pre-training batches from a fixed set of volumes. */
export interface SliceSampler {
  /** Total slices over all volumes. */
  readonly slices: number;
  /** Picks B slices (JS only, no tensors). */
  pick(batch: number): SlicePick[];
  /** Picks B slices and builds the batch tensor; the caller disposes `images`. */
  sample(batch: number): SliceBatch;
}

/** Creates a seeded sampler over normalised volumes. */
export function createSliceSampler(volumes: readonly Volume[], options: SliceSamplerOptions): SliceSampler {
  if (volumes.length === 0) throw new Error('createSliceSampler: no volumes to sample from.');
  volumes.forEach((v, i) => checkVolume(v, `createSliceSampler (volume ${i})`));
  const channels = volumes[0]?.channels ?? 1;
  if (volumes.some((v) => (v.channels ?? 1) !== channels)) throw new Error('createSliceSampler: all volumes must have the same number of channels.');
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) throw new Error(`createSliceSampler: size must be a positive integer, got ${size}.`);
  const strategy = options.strategy ?? 'stratified';
  const rng = createRng(options.seed ?? 1);
  const volumeAt = (i: number): Volume => {
    const v = volumes[i];
    if (v === undefined) throw new Error(`createSliceSampler: no volume ${i}.`);
    return v;
  };

  function pick(batch: number): SlicePick[] {
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`SliceSampler: batch must be a positive integer, got ${batch}.`);
    return Array.from({ length: batch }, (_, i) => {
      const volume = rng.int(volumes.length);
      const depth = volumeAt(volume).depth;
      const p = strategy === 'stratified' ? (i + rng.next()) / batch : rng.next();
      return { volume, slice: Math.min(depth - 1, Math.floor(p * depth)) };
    });
  }

  return {
    slices: volumes.reduce((sum, v) => sum + v.depth, 0),
    pick,
    sample(batch) {
      const picks = pick(batch);
      const images = tf.tidy(() =>
        tf.concat(picks.map(({ volume, slice }) => resizeImages(slicesTensor(volumeAt(volume), slice, 1), [size, size])), 0),
      );
      return { images, positions: picks.map(({ volume, slice }) => slicePosition(slice, volumeAt(volume).depth)), picks };
    },
  };
}
