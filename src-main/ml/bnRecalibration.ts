/**
 * Label-free recalibration of the batch-norm running statistics on the volume
 * being segmented. Fine-tuning sees only the few stroked slices, so the
 * running statistics (momentum 0.1) describe those slices alone; inference
 * then normalises every slice of the volume (vertex, skull base, neck) with
 * them. Here forward passes in training mode over slices spread through the
 * whole volume collect each BN layer's batch moments, and the running
 * statistics become their pooled mean and unbiased variance over all those
 * pixels. No labels, no gradients, no weight changes.
 */
import * as tf from '@tensorflow/tfjs';
import { discardBnStats, trainingContext } from './batchNorm';
import { resizeImages } from './resample';
import { boxToCrop, cropSliceTensor, type SliceBox } from './strokeBox';
import type { UNet } from './unet';
import { checkVolume, slicesTensor, type Volume } from './volume';

/** How recalibrateBatchNorm samples the volume. */
export interface RecalibrationOptions {
  /** The square size the model runs at (slices are resized to it, as inference does). */
  readonly size: number;
  /** The in-plane box the model sees (the strokes' region of interest, ml/strokeBox.ts); null or absent: whole slices. */
  readonly roi?: SliceBox | null;
  /** Only slices from .. to (inclusive) are sampled, e.g. the strokes' slab (strokeSlab.ts); null or absent: the whole volume. */
  readonly sliceRange?: readonly [number, number] | null;
  /** Slices used, evenly spaced over the volume or the range (default 32; all when it has fewer). */
  readonly slices?: number;
  /** Slices per forward pass (default 8; at least 2 for batch moments). */
  readonly batch?: number;
}

/**
 * Whether fine-tuned networks are recalibrated on the volume before they segment it (evalRun, the
 * fine-tuning job before it saves, the interactive session for each version it shows). Measured
 * in docs/eval-protocol.md ("Late collapses and the batch-norm statistics").
 */
export const recalibrateByDefault = true;

/** Default number of slices a recalibration looks at. */
export const defaultRecalibrationSlices = 32;

/** `count` slice indices spread evenly over 0..depth-1 (the centres of equal parts). */
export function spreadIndices(depth: number, count: number): number[] {
  if (count >= depth) return Array.from({ length: depth }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.min(depth - 1, Math.floor(((i + 0.5) * depth) / count)));
}

/** Splits `items` into runs of `size`; a last run of one joins the one before (one slice gives degenerate moments). */
function chunksOf(items: readonly number[], size: number): number[][] {
  const chunks: number[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  const last = chunks.at(-1);
  if (chunks.length > 1 && last !== undefined && last.length === 1) {
    chunks.pop();
    chunks.at(-1)?.push(...last);
  }
  return chunks;
}

/** Per BN layer: pixel-weighted sums of batch means and second moments. */
interface Pooled {
  count: number;
  sum: tf.Tensor1D;
  sumSquares: tf.Tensor1D;
}

/**
 * Replaces every BN layer's running mean and variance of `unet` by the
 * pooled moments of its inputs over slices spread through `volume`.
 */
export async function recalibrateBatchNorm(unet: UNet, volume: Volume, options: RecalibrationOptions): Promise<void> {
  checkVolume(volume, 'recalibrateBatchNorm');
  const batch = options.batch ?? 8;
  if (!Number.isInteger(batch) || batch < 2) throw new Error(`recalibrateBatchNorm: batch must be an integer >= 2 (batch moments need several slices), got ${batch}.`);
  const wanted = options.slices ?? defaultRecalibrationSlices;
  if (!Number.isInteger(wanted) || wanted < 2) throw new Error(`recalibrateBatchNorm: slices must be an integer >= 2, got ${wanted}.`);
  const [from, to] = options.sliceRange ?? [0, volume.depth - 1];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to >= volume.depth) throw new Error(`recalibrateBatchNorm: sliceRange must lie in 0..${volume.depth - 1}, got ${from}..${to}.`);
  const indices = spreadIndices(to - from + 1, wanted).map((i) => from + i);
  const box = boxToCrop(options.roi ?? null, volume.width, volume.height, 'recalibrateBatchNorm');
  if (indices.length < 2) return; // One slice: nothing to pool beyond what training saw.
  const pooled = new Map<string, Pooled>();
  try {
    for (const chunk of chunksOf(indices, batch)) {
      const ctx = trainingContext();
      try {
        tf.tidy(() => {
          // The statistics of what inference feeds the network: the box's crops when it has one.
          const slices = cropSliceTensor(tf.concat(chunk.map((z) => slicesTensor(volume, z, 1)), 0), box);
          unet.logits(resizeImages(slices, [options.size, options.size]), ctx);
        });
        for (const p of ctx.pending) {
          const previous = pooled.get(p.name);
          const sum = tf.tidy(() => tf.mul(p.mean, p.count)) as tf.Tensor1D;
          const sumSquares = tf.tidy(() => tf.mul(tf.add(p.variance, tf.square(p.mean)), p.count)) as tf.Tensor1D;
          if (previous === undefined) {
            pooled.set(p.name, { count: p.count, sum, sumSquares });
          } else {
            const next = { count: previous.count + p.count, sum: tf.add(previous.sum, sum) as tf.Tensor1D, sumSquares: tf.add(previous.sumSquares, sumSquares) as tf.Tensor1D };
            tf.dispose([previous.sum, previous.sumSquares, sum, sumSquares]);
            pooled.set(p.name, next);
          }
        }
      } finally {
        discardBnStats(ctx);
      }
    }
    tf.tidy(() => {
      for (const [name, p] of pooled) {
        const mean = tf.div(p.sum, p.count);
        const biased = tf.relu(tf.sub(tf.div(p.sumSquares, p.count), tf.square(mean)));
        unet.params.get(`${name}.mean`).assign(mean);
        unet.params.get(`${name}.var`).assign(tf.mul(biased, p.count / (p.count - 1)));
      }
    });
  } finally {
    for (const p of pooled.values()) tf.dispose([p.sum, p.sumSquares]);
  }
}

/** Copies of every BN running mean and variance of `unet` (the caller disposes them, or restoreStatistics does). */
export function statisticsOf(unet: UNet): Map<string, tf.Tensor> {
  return new Map(unet.params.entries().filter(([name]) => unet.params.kindOf(name) === 'buffer').map(([name, v]) => [name, tf.clone(v)]));
}

/** Writes statisticsOf() copies back and disposes them. */
export function restoreStatistics(unet: UNet, copies: Map<string, tf.Tensor>): void {
  for (const [name, value] of copies) unet.params.get(name).assign(value);
  tf.dispose([...copies.values()]);
}
