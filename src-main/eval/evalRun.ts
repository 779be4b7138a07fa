/**
 * One evaluation run of the protocol (docs/eval-protocol.md) on volumes in
 * memory: normalise the image, simulate the radiologist's strokes, fine-tune
 * a U-Net (from scratch or a pre-trained init) on those voxels alone, segment
 * every slice, and score each label by 3-D Dice. File reading, the model
 * registry and printing belong to the callers (the CLI and the tests).
 */
import * as tf from '@tensorflow/tfjs';
import { createFinetuner, type FinetuneStepResult } from '../ml/finetuner';
import { segmentVolume } from '../ml/inference';
import { normalizeIntensities } from '../ml/normalize';
import { methodExtension } from '../ml/simcvd/finetuneMethod';
import { defaultFinetuneMethod, type FinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import type { SliceSampling } from '../ml/patchSampler';
import { finetuneDataOf } from '../trainer/jobs/finetuneData';
import { createFinetuneUNet, type TensorSource } from '../ml/transfer';
import { labelDice } from './dice';
import { simulateScribbles, type Grid, type ScribbleOptions } from './scribble';

/** An image and its truth on one grid (x fastest, then y, then z). */
export interface EvalCase extends Grid {
  /** Raw intensities (modality units); normalised here. */
  readonly image: Float32Array;
  /** Truth label per voxel (0 background). */
  readonly truth: ArrayLike<number>;
}

/** The run's settings. */
export interface EvalOptions {
  readonly scribbleSlices: number;
  /** Truth labels to evaluate (default: every non-zero value in the truth). */
  readonly labels?: readonly number[];
  /** Pre-trained tensors (encoder + decoder blocks 1-2 are transferred), or null for scratch. */
  readonly init: TensorSource | null;
  readonly steps: number;
  readonly seed?: number;
  /** Square training size (multiple of 16): the crop size with 'patches' sampling. */
  readonly size: number;
  /** Whole slices resized to `size` (default) or crops at the image's resolution (ml/patchSampler.ts; measured worse at 120 steps, docs/eval-protocol.md). */
  readonly sampling?: SliceSampling;
  /** Intensity augmentation of the training crops (ml/intensityAugment.ts; default off). */
  readonly intensityAugment?: boolean;
  readonly width: number;
  readonly batch?: number;
  /** Adam's initial rate (default: the fine-tuner's, 5e-4). */
  readonly lr?: number;
  /** Class-balanced CE over the stroked voxels (ml/crossEntropy.ts; default false: it over-predicted the thin structures, see docs/eval-protocol.md). */
  readonly classBalanced?: boolean;
  /** Weight of the edge-aware smoothness term (ml/smoothnessLoss.ts; default its defaultSmoothnessWeight); 0 = CE alone. */
  readonly smoothness?: number;
  readonly inferenceBatch?: number;
  /** Fine-tuning method (default defaultFinetuneMethod); 'simcvd' also learns from the unscribbled slices. */
  readonly method?: FinetuneMethod;
  /** Overrides of the stroke simulation (for experiments; the protocol's defaults otherwise). */
  readonly scribble?: Omit<ScribbleOptions, 'slicesPerLabel'>;
  readonly onStep?: (step: FinetuneStepResult) => void;
}

/** Scores of one label. */
export interface LabelResult {
  readonly label: number;
  readonly dice: number;
  /** Voxels stroked inside this structure. */
  readonly labelledVoxels: number;
  /** Background voxels stroked around it. */
  readonly backgroundVoxels: number;
  readonly slices: readonly number[];
  readonly truthVoxels: number;
  readonly predictedVoxels: number;
}

/** What `macl eval` reports. */
export interface EvalResult {
  readonly labels: readonly LabelResult[];
  readonly meanDice: number;
  /** All labelled voxels (structures and background) the fine-tuning saw. */
  readonly labelledVoxels: number;
  readonly steps: number;
  readonly init: 'scratch' | 'pretrained';
  readonly method: FinetuneMethod;
  readonly lossFirst: number;
  readonly lossLast: number;
  readonly finetuneSeconds: number;
  readonly inferenceSeconds: number;
  readonly seconds: number;
  readonly backend: string;
  readonly size: number;
  readonly sampling: SliceSampling;
  readonly width: number;
  readonly batch: number;
  readonly seed: number;
}

/** The distinct non-zero values of a truth map, ascending. */
export function labelsPresent(truth: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < truth.length; i += 1) {
    const v = truth[i] ?? 0;
    if (v !== 0) seen.add(v);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Runs the protocol once on the active tfjs backend. */
export async function runEval(evalCase: EvalCase, options: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const { width, height, depth } = evalCase;
  if (evalCase.image.length !== width * height * depth) throw new Error(`runEval: the image has ${evalCase.image.length} voxels, the grid ${width}x${height}x${depth} needs ${width * height * depth}.`);
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new Error(`runEval: steps must be a positive integer, got ${options.steps}.`);
  const labels = options.labels ?? labelsPresent(evalCase.truth);
  if (labels.length === 0) throw new Error('runEval: the truth holds no label other than 0.');
  const seed = options.seed ?? 1;
  const batch = options.batch ?? 8;
  const scribbles = simulateScribbles(evalCase.truth, evalCase, labels, { ...options.scribble, slicesPerLabel: options.scribbleSlices });
  const normalised = normalizeIntensities(evalCase.image);
  const unet = createFinetuneUNet({ classes: labels.length + 1, width: options.width, seed }, options.init);
  const patches = (options.sampling ?? 'resize') === 'patches';
  const method = options.method ?? defaultFinetuneMethod;
  const volume = { data: normalised, width, height, depth };
  let extension;
  try {
    extension = methodExtension(method, unet, volume, scribbles.slices, options.size, seed + 2);
  } catch (thrown) {
    unet.dispose();
    throw thrown;
  }
  const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, patches ? null : options.size);
  const tuner = createFinetuner(unet, { ...(extension === undefined ? {} : { extension }), totalSteps: options.steps, batch, seed: seed + 1, ...(patches ? { patch: options.size } : {}), ...(options.intensityAugment === true ? { intensity: {} } : {}), classBalanced: options.classBalanced ?? false, ...(options.smoothness === undefined ? {} : { smoothness: { weight: options.smoothness } }), ...(options.lr === undefined ? {} : { lr: options.lr }) });
  try {
    await tuner.setData(data);
    tf.dispose([data.images, data.labels]);
    let lossFirst = NaN;
    const last = await tuner.steps(options.steps, (step) => {
      if (step.step === 0) lossFirst = step.loss;
      options.onStep?.(step);
    });
    const tuned = performance.now();
    const prediction = await segmentVolume(unet, volume, { size: options.size, native: patches, batch: options.inferenceBatch ?? batch });
    const inferred = performance.now();
    const results: LabelResult[] = scribbles.perLabel.map((scribble) => {
      const overlap = labelDice(prediction.labels, scribble.classIndex, evalCase.truth, scribble.label);
      return {
        label: scribble.label,
        dice: overlap.dice,
        labelledVoxels: scribble.structureVoxels,
        backgroundVoxels: scribble.backgroundVoxels,
        slices: scribble.slices,
        truthVoxels: overlap.truthVoxels,
        predictedVoxels: overlap.predictedVoxels,
      };
    });
    return {
      labels: results,
      meanDice: results.reduce((sum, r) => sum + r.dice, 0) / results.length,
      labelledVoxels: results.reduce((sum, r) => sum + r.labelledVoxels + r.backgroundVoxels, 0),
      steps: options.steps,
      init: options.init === null ? 'scratch' : 'pretrained',
      method,
      lossFirst,
      lossLast: last.loss,
      finetuneSeconds: (tuned - started) / 1000,
      inferenceSeconds: (inferred - tuned) / 1000,
      seconds: (inferred - started) / 1000,
      backend: tf.getBackend(),
      size: options.size,
      sampling: patches ? 'patches' : 'resize',
      width: options.width,
      batch,
      seed,
    };
  } finally {
    tf.dispose([data.images, data.labels]);
    tuner.dispose();
    unet.dispose();
  }
}
