/**
 * How much a pre-trained model helps on labels the user already has: for each labelled volume,
 * the labelled slices are split in two (every other one), a U-Net is fine-tuned on one half for a
 * few steps from scratch and from the pre-trained model (encoder + decoder 1-2 transferred), and
 * each is scored on the other half's labelled voxels (mean Dice of the foreground classes there).
 * Bounded (a fixed number of steps per volume and init) and stoppable between steps.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError, isCancelled, type CancelLike } from '../../shared/cancellation';
import { recalibrateBatchNorm, recalibrateByDefault } from '../../ml/bnRecalibration';
import { createFinetuner } from '../../ml/finetuner';
import { segmentVolume } from '../../ml/inference';
import { createFinetuneUNet, type TensorSource } from '../../ml/transfer';
import type { Volume } from '../../ml/volume';
import { finetuneDataOf, labelledSlices } from './finetuneData';

/** One labelled volume: normalised image and labels on its grid (-1 unlabelled, 0 background, 1.. structures). */
export interface LabelledVolume {
  readonly volume: Volume;
  readonly labels: Int32Array;
}

export interface HeldOutOptions {
  readonly size: number;
  readonly width: number;
  /** Fine-tuning steps per volume and init (default 40). */
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  /** Weight of the fine-tuner's smoothness term (default: the fine-tuner's). */
  readonly smoothness?: number;
  readonly seed?: number;
  readonly signal?: CancelLike;
}

/** Mean held-out Dice over the volumes that could be split, from scratch and from the pre-trained model. */
export interface HeldOutBenefit {
  readonly volumes: number;
  readonly heldOutSlices: number;
  readonly steps: number;
  readonly diceScratch: number;
  readonly dicePretrained: number;
}

/** Labelled slices split into training (even positions) and held-out (odd); null when fewer than 2. */
export function splitLabelledSlices(slices: readonly number[]): { train: number[]; heldOut: number[] } | null {
  if (slices.length < 2) return null;
  return { train: slices.filter((_, i) => i % 2 === 0), heldOut: slices.filter((_, i) => i % 2 === 1) };
}

/** Mean Dice over the foreground classes labelled in `truth`, counting only labelled voxels (truth >= 0). */
export function labelledVoxelDice(predicted: ArrayLike<number>, truth: Int32Array): number | null {
  const classes = new Set<number>();
  for (const t of truth) if (t > 0) classes.add(t);
  if (classes.size === 0) return null;
  let sum = 0;
  for (const c of classes) {
    let both = 0;
    let p = 0;
    let t = 0;
    for (let i = 0; i < truth.length; i++) {
      const label = truth[i] ?? -1;
      if (label < 0) continue;
      const isP = predicted[i] === c;
      const isT = label === c;
      if (isP) p++;
      if (isT) t++;
      if (isP && isT) both++;
    }
    sum += (2 * both) / (p + t);
  }
  return sum / classes.size;
}

/** The slices `picked` of `volume` (and of `labels`) as a volume of their own. */
function subVolume(volume: Volume, labels: Int32Array, picked: readonly number[]): { volume: Volume; labels: Int32Array } {
  const n = volume.width * volume.height;
  const data = new Float32Array(picked.length * n);
  const out = new Int32Array(picked.length * n);
  picked.forEach((z, i) => {
    data.set(volume.data.subarray(z * n, (z + 1) * n), i * n);
    out.set(labels.subarray(z * n, (z + 1) * n), i * n);
  });
  return { volume: { data, width: volume.width, height: volume.height, depth: picked.length }, labels: out };
}

async function fineTunedDice(
  item: LabelledVolume,
  split: { train: number[]; heldOut: number[] },
  classes: number,
  init: TensorSource | null,
  options: HeldOutOptions,
): Promise<number | null> {
  const steps = options.steps ?? 40;
  const unet = createFinetuneUNet({ classes, width: options.width, seed: options.seed ?? 1 }, init);
  const tuner = createFinetuner(unet, { totalSteps: steps, batch: options.batch ?? 4, lr: options.lr ?? 5e-3, seed: (options.seed ?? 1) + 1, ...(options.smoothness === undefined ? {} : { smoothness: { weight: options.smoothness } }) });
  try {
    const data = finetuneDataOf(item.volume, item.labels, split.train, options.size);
    try {
      await tuner.setData(data);
    } finally {
      tf.dispose([data.images, data.labels]);
    }
    for (let i = 0; i < steps; i++) {
      if (isCancelled(options.signal)) throw new CancelledError('The check on the labelled scans');
      await tuner.steps(1);
    }
    // As the app segments: statistics from the whole scan (docs/eval-protocol.md, "Late collapses").
    if (recalibrateByDefault) await recalibrateBatchNorm(unet, item.volume, { size: options.size });
    const held = subVolume(item.volume, item.labels, split.heldOut);
    const prediction = await segmentVolume(unet, held.volume, { size: options.size, batch: options.batch ?? 4, shouldStop: () => isCancelled(options.signal) });
    return labelledVoxelDice(prediction.labels, held.labels);
  } finally {
    tuner.dispose();
    unet.dispose();
  }
}

/** Runs the comparison; null when no volume has two labelled slices with a structure among the held-out ones. */
export async function measureHeldOutBenefit(items: readonly LabelledVolume[], pretrained: TensorSource, options: HeldOutOptions): Promise<HeldOutBenefit | null> {
  const scratch: number[] = [];
  const transferred: number[] = [];
  let heldOutSlices = 0;
  for (const item of items) {
    const { width, height, depth } = item.volume;
    const split = splitLabelledSlices(labelledSlices(item.labels, width, height, depth));
    if (split === null) continue;
    let maxLabel = 0;
    for (const v of item.labels) if (v > maxLabel) maxLabel = v;
    const classes = Math.max(2, maxLabel + 1);
    const fromScratch = await fineTunedDice(item, split, classes, null, options);
    const fromModel = await fineTunedDice(item, split, classes, pretrained, options);
    if (fromScratch === null || fromModel === null) continue;
    scratch.push(fromScratch);
    transferred.push(fromModel);
    heldOutSlices += split.heldOut.length;
  }
  if (scratch.length === 0) return null;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { volumes: scratch.length, heldOutSlices, steps: options.steps ?? 40, diceScratch: mean(scratch), dicePretrained: mean(transferred) };
}

/** "On your 2 labelled scans (6 held-out slices): Dice 0.81 from this model vs 0.74 from scratch after 40 fine-tuning steps." */
export function heldOutBenefitLine(b: HeldOutBenefit): string {
  const scans = b.volumes === 1 ? '1 labelled scan' : `${b.volumes} labelled scans`;
  return `On your ${scans} (${b.heldOutSlices} held-out labelled slices): Dice ${b.dicePretrained.toFixed(2)} from this model vs ${b.diceScratch.toFixed(2)} from scratch after ${b.steps} fine-tuning steps.`;
}
