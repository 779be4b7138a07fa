/**
 * Segments every slice of a volume (`macl infer`, the interactive loop): slices in batches, resampled
 * to the training size, BN in inference mode (running statistics), softmax,
 * probabilities resampled back to the volume's grid (bilinear), then argmax.
 * Returns a uint8 label volume on the input grid and, when asked, the
 * probability of the winning class per voxel.
 */
import * as tf from '@tensorflow/tfjs';
import { inferenceContext } from './batchNorm';
import { rethrowIfOutOfMemory } from './errors';
import { checkTrainingSize, resizeImages } from './resample';
import type { UNet } from './unet';
import { unetDivisor } from './unetSpec';
import { checkVolume, slicesTensor, type Volume } from './volume';

/** How to run inference over a volume. */
export interface InferenceOptions {
  /** The square size the model was trained at (multiple of 16). */
  readonly size: number;
  /** Slices per forward pass (default 8). */
  readonly batch?: number;
  /** Also return the winning class's probability per voxel. */
  readonly probabilities?: boolean;
  /** Called after each batch with slices done and total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between batches; when it returns true, inference stops with an Error named 'AbortError'. */
  readonly shouldStop?: () => boolean;
}

/** A label volume on the input grid (and optionally the winning probability). */
export interface InferenceResult {
  /** Class per voxel, slice-major like the input (index (z * height + y) * width + x). */
  readonly labels: Uint8Array;
  readonly probability?: Float32Array;
}

/** Segments every slice of `volume` (normalised, see normalize.ts) with `unet` in inference mode. */
export async function segmentVolume(unet: UNet, volume: Volume, options: InferenceOptions): Promise<InferenceResult> {
  checkVolume(volume, 'segmentVolume');
  checkTrainingSize(options.size, unetDivisor, 'segmentVolume');
  if ((volume.channels ?? 1) !== unet.spec.inChannels) {
    throw new Error(`segmentVolume: the volume has ${volume.channels ?? 1} channels, the model expects ${unet.spec.inChannels}.`);
  }
  const batch = options.batch ?? 8;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`segmentVolume: batch must be a positive integer, got ${batch}.`);
  const { width, height, depth } = volume;
  const perSlice = width * height;
  const labels = new Uint8Array(perSlice * depth);
  const probability = options.probabilities ? new Float32Array(perSlice * depth) : undefined;
  const ctx = inferenceContext();
  for (let start = 0; start < depth; start += batch) {
    if (options.shouldStop?.()) {
      const abort = new Error('segmentVolume: stopped.');
      abort.name = 'AbortError';
      throw abort;
    }
    const count = Math.min(batch, depth - start);
    const owned: tf.Tensor[] = [];
    try {
      const [winners, best] = tf.tidy(() => {
        const input = resizeImages(slicesTensor(volume, start, count), [options.size, options.size]);
        const probs = tf.softmax(unet.logits(input, ctx));
        const back = resizeImages(probs, [height, width]);
        return probability ? [tf.argMax(back, 3), tf.max(back, 3)] : [tf.argMax(back, 3)];
      });
      owned.push(...[winners, best].filter((t): t is tf.Tensor => t !== undefined));
      if (winners === undefined) throw new Error('segmentVolume: no prediction.');
      labels.set(await winners.data(), start * perSlice);
      if (probability && best !== undefined) probability.set(await best.data(), start * perSlice);
    } catch (thrown) {
      rethrowIfOutOfMemory(thrown, { what: 'Inference', batch, size: options.size });
    } finally {
      tf.dispose(owned);
    }
    options.onProgress?.(start + count, depth);
  }
  return probability ? { labels, probability } : { labels };
}
