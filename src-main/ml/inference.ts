/**
 * Segments every slice of a volume: slices in batches, either at their own
 * resolution (a model trained on crops; the U-Net is fully convolutional) or
 * resampled to the training size with the probabilities resampled back
 * (bilinear), optionally only inside a region of interest (strokeBox.ts) and
 * with the classes weighed against the strokes' prior (strokePrior.ts);
 * BN in inference mode (running statistics), softmax, argmax.
 * Returns a uint8 label volume on the input grid and, when asked, the
 * probability of the winning class per voxel.
 */
import * as tf from '@tensorflow/tfjs';
import { inferenceContext, type BnContext } from './batchNorm';
import { rethrowIfOutOfMemory } from './errors';
import { checkTrainingSize, resizeImages } from './resample';
import { boxToCrop, cropSliceTensor, type SliceBox } from './strokeBox';
import type { UNet } from './unet';
import { unetDivisor } from './unetSpec';
import { checkVolume, slicesTensor, type Volume } from './volume';

/** How to run inference over a volume. */
export interface InferenceOptions {
  /** The square size the model was trained at (multiple of 16); with `native`, only the crop size it saw. */
  readonly size: number;
  /**
   * Segment the slices at their own resolution (a model trained on crops,
   * FinetunerOptions.patch): each slice is zero-padded to a multiple of 16
   * and the network, fully convolutional, runs on it whole. Default false:
   * slices are resampled to size x size and the probabilities back.
   */
  readonly native?: boolean;
  /**
   * Segment only this in-plane box of every slice (the region of interest of
   * the strokes, strokeBox.ts), resampled to the training size as training
   * resampled it; every voxel outside it is background (probability 1).
   * Default: the whole slice. Not with `native`.
   */
  readonly roi?: SliceBox | null;
  /** Multiply each class's probability by this before the argmax (strokePrior.ts: undoes the strokes' class prior); the winning probability is renormalised. Default: none. Not with `native`. */
  readonly classWeights?: readonly number[] | null;
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

/**
 * Activations of a forward pass grow with slices x pixels x width. At the
 * image's own resolution a slice can be 16 times the pixels of a 128 px
 * training slice, so the slices per pass are capped to what 8 slices of
 * 256 x 256 at width 32 hold (the GPU's batch at the resized default).
 */
const nativeUnitsPerPass = 8 * 256 * 256 * 32;

/** Slices per forward pass at native resolution: at most `batch`, at least 1. */
export function nativeBatch(batch: number, width: number, height: number, netWidth: number): number {
  const padded = Math.ceil(width / unetDivisor) * unetDivisor * Math.ceil(height / unetDivisor) * unetDivisor;
  return Math.max(1, Math.min(batch, Math.floor(nativeUnitsPerPass / (padded * netWidth))));
}

/** Softmax of slices [B, H, W, C] at their own size: zero-padded to multiples of 16 on the far sides, cropped back. */
export function nativeProbabilities(unet: UNet, slices: tf.Tensor4D, ctx: BnContext): tf.Tensor4D {
  const [, h, w] = slices.shape;
  const padH = Math.ceil(h / unetDivisor) * unetDivisor - h;
  const padW = Math.ceil(w / unetDivisor) * unetDivisor - w;
  return tf.tidy(() => {
    const padded = padH === 0 && padW === 0 ? slices : tf.pad(slices, [[0, 0], [0, padH], [0, padW], [0, 0]]);
    const probs = tf.softmax(unet.logits(padded, ctx));
    return padH === 0 && padW === 0 ? probs : tf.slice(probs, [0, 0, 0, 0], [-1, h, w, -1]);
  });
}

/** Segments every slice of `volume` (normalised, see normalize.ts) with `unet` in inference mode. */
export async function segmentVolume(unet: UNet, volume: Volume, options: InferenceOptions): Promise<InferenceResult> {
  checkVolume(volume, 'segmentVolume');
  checkTrainingSize(options.size, unetDivisor, 'segmentVolume');
  if ((volume.channels ?? 1) !== unet.spec.inChannels) {
    throw new Error(`segmentVolume: the volume has ${volume.channels ?? 1} channels, the model expects ${unet.spec.inChannels}.`);
  }
  const requested = options.batch ?? 8;
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`segmentVolume: batch must be a positive integer, got ${requested}.`);
  const { width, height, depth } = volume;
  const perSlice = width * height;
  const batch = options.native === true ? nativeBatch(requested, width, height, unet.spec.width) : requested;
  const labels = new Uint8Array(perSlice * depth);
  const probability = options.probabilities ? new Float32Array(perSlice * depth) : undefined;
  const ctx = inferenceContext();
  const box = options.native === true ? null : boxToCrop(options.roi ?? null, width, height, 'segmentVolume');
  if (options.native === true && (options.roi != null || options.classWeights != null)) throw new Error('segmentVolume: a region of interest and class weights need resized slices, not native.');
  const weights = options.classWeights ?? null;
  if (weights !== null && (weights.length !== unet.spec.classes || !weights.every((w) => w > 0))) throw new Error(`segmentVolume: ${unet.spec.classes} positive class weights needed, got ${weights.join(', ')}.`);
  if (box !== null) probability?.fill(1);
  for (let start = 0; start < depth; start += batch) {
    if (options.shouldStop?.()) {
      const abort = new Error('segmentVolume: stopped.');
      abort.name = 'AbortError';
      throw abort;
    }
    const count = Math.min(batch, depth - start);
    const owned: tf.Tensor[] = [];
    try {
      if (options.native === true) {
        const [winners, best] = tf.tidy(() => {
          const back = nativeProbabilities(unet, slicesTensor(volume, start, count), ctx);
          return probability ? [tf.argMax(back, 3), tf.max(back, 3)] : [tf.argMax(back, 3)];
        });
        owned.push(...[winners, best].filter((t): t is tf.Tensor => t !== undefined));
        if (winners === undefined) throw new Error('segmentVolume: no prediction.');
        labels.set(await winners.data(), start * perSlice);
        if (probability && best !== undefined) probability.set(await best.data(), start * perSlice);
      } else {
        const area = box ?? { x0: 0, y0: 0, width, height };
        const back = tf.tidy(() => {
          const slices = cropSliceTensor(slicesTensor(volume, start, count), box);
          return resizeImages(tf.softmax(unet.logits(resizeImages(slices, [options.size, options.size]), ctx)), [area.height, area.width]);
        });
        owned.push(back);
        const probs = (await back.data()) as Float32Array;
        writeWinners(probs, count, area, unet.spec.classes, { labels, probability, width, height, offset: start * perSlice, weights });
      }
    } catch (thrown) {
      rethrowIfOutOfMemory(thrown, { what: 'Inference', batch, size: options.native === true ? Math.max(width, height) : options.size });
    } finally {
      tf.dispose(owned);
    }
    options.onProgress?.(start + count, depth);
  }
  return probability ? { labels, probability } : { labels };
}

/** Where the winners of a batch go: the volume's labels (and winning probabilities) from `offset`, slices of width x height. */
interface WinnerTarget {
  readonly labels: Uint8Array;
  readonly probability: Float32Array | undefined;
  readonly width: number;
  readonly height: number;
  readonly offset: number;
  readonly weights: readonly number[] | null;
}

/** Argmax of `count` slices of probabilities over `area` into the target's slices (voxels outside `area` are left as they are: 0). */
function writeWinners(probs: Float32Array, count: number, area: SliceBox, classes: number, target: WinnerTarget): void {
  for (let s = 0; s < count; s += 1) {
    for (let y = 0; y < area.height; y += 1) {
      for (let x = 0; x < area.width; x += 1) {
        const from = ((s * area.height + y) * area.width + x) * classes;
        let best = 0;
        let bestP = -1;
        let total = 0;
        for (let c = 0; c < classes; c += 1) {
          const p = (probs[from + c] ?? 0) * (target.weights?.[c] ?? 1);
          total += p;
          if (p > bestP) {
            best = c;
            bestP = p;
          }
        }
        if (target.weights !== null && total > 0) bestP /= total;
        const to = target.offset + (s * target.height + area.y0 + y) * target.width + area.x0 + x;
        target.labels[to] = best;
        if (target.probability) target.probability[to] = bestP;
      }
    }
  }
}
