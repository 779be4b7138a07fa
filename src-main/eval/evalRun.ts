/**
 * One evaluation run of the protocol (docs/eval-protocol.md) on volumes in
 * memory: normalise the image, simulate the radiologist's strokes, fine-tune
 * a U-Net (from scratch or a pre-trained init) on those voxels alone, segment
 * every slice, and score each label by 3-D Dice. File reading, the model
 * registry and printing belong to the callers (the CLI and the tests).
 */
import * as tf from '@tensorflow/tfjs';
import type { EnclosedFillOptions } from '../ml/enclosedStrokeFill';
import { createFinetuner, type FinetuneStepResult } from '../ml/finetuner';
import { recalibrateBatchNorm, recalibrateByDefault, restoreStatistics, statisticsOf } from '../ml/bnRecalibration';
import { segmentVolume } from '../ml/inference';
import { strokeBox, type SliceBox } from '../ml/strokeBox';
import { interpolateByDefault } from '../ml/sliceInterpolation';
import { limitToExtentByDefault } from '../ml/strokeExtent';
import { balanceSeveralStructures } from '../ml/severalStructures';
import { trainedPriorWeights } from '../ml/strokePrior';
import { strokeClassBalanced } from '../ml/crossEntropy';
import { normalizeIntensities } from '../ml/normalize';
import { methodExtension } from '../ml/simcvd/finetuneMethod';
import type { SimcvdOptions } from '../ml/simcvd/simcvdExtension';
import { defaultFinetuneMethod, type FinetuneMethod } from '../shared/contract/trainer/finetuneMethod';
import type { SliceSampling } from '../ml/patchSampler';
import type { AugmentOptions } from '../ml/augment';
import { defaultMirrorGuard } from '../ml/mirrorSafeLabels';
import { finetuneDataOf } from '../trainer/jobs/finetuneData';
import { createFinetuneUNet, transferredNames, type TensorSource } from '../ml/transfer';
import type { TransferTraining } from '../ml/transferTraining';
import { keepsRecalibrated } from './recalibrationJudge';
import { scoreScribbled, type LabelResult } from './scoreScribbled';
import { simulateScribbles, type Grid, type ScribbleOptions, type Scribbles } from './scribble';

/**
 * What `runEval` does when a design switch is not given: the interactive
 * session's behaviour. The suite's table prints these for every row, so a
 * table always says which switches were on.
 */
export const evalSwitchDefaults: { readonly recalibrate: boolean; readonly intensityAugment: boolean; readonly keepConnected: boolean; readonly limitToExtent: boolean; readonly interpolate: boolean; readonly roi: boolean; readonly undoStrokePrior: boolean; readonly priorCapped: boolean; readonly severalStructures: boolean; readonly classBalanced: boolean; readonly orientationAugment: boolean; readonly mirrorGuard: boolean; readonly enclosedFill: EnclosedFillOptions; readonly judgeRecalibration: boolean } = {
  recalibrate: recalibrateByDefault,
  intensityAugment: false,
  keepConnected: true,
  /** Each structure's answers kept within its strokes' extent (ml/strokeExtent.ts). */
  limitToExtent: limitToExtentByDefault,
  /** The answer fused with each structure's shape interpolated between its painted slices (ml/sliceInterpolation.ts, ml/shapeFusion.ts). */
  interpolate: interpolateByDefault,
  roi: true,
  undoStrokePrior: true,
  /** The prior's weights at most defaultPriorCap (ml/strokePrior.ts); off is runEval's priorCap Infinity. */
  priorCapped: true,
  /** Strokes of two or more structures train with the balanced CE and show with the uniform prior (ml/severalStructures.ts). */
  severalStructures: balanceSeveralStructures,
  classBalanced: strokeClassBalanced,
  /** The fine-tuner's default augmentation mirrors (ml/augment.ts; off: finetuneAugmentation). */
  orientationAugment: true,
  /** Mirrored samples carry only the strokes the mirror does not contradict (ml/mirrorSafeLabels.ts). */
  mirrorGuard: defaultMirrorGuard,
  /** Labels inside closed outlines filled, balance chosen per data ('auto'; ml/enclosedStrokeFill.ts). */
  enclosedFill: {},
  /**
   * Off: choosing the final statistics by the strokes (recalibrationJudge.ts) gained 11 points at 60
   * steps on Colin27 but lost 1-2 at the suite's 120 (docs/eval-protocol.md, session 11).
   */
  judgeRecalibration: false,
};

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
  /**
   * Recalibrate the batch-norm statistics over the whole volume before inference, at the end and
   * at every checkpoint (ml/bnRecalibration.ts; default recalibrateByDefault; not with 'patches'). A checkpoint's recalibration
   * is undone before training goes on, so the steps are those of a run without it; the Dice with
   * the running statistics training left is reported beside it (EvalResult.runningStatsDice).
   */
  readonly recalibrate?: boolean;
  /**
   * With recalibrate: the final segmentation keeps the training's statistics when they fit the
   * strokes strictly better than the recalibrated ones (recalibrationJudge.ts; default
   * evalSwitchDefaults.judgeRecalibration).
   */
  readonly judgeRecalibration?: boolean;
  readonly width: number;
  readonly batch?: number;
  /** Adam's initial rate (default: the fine-tuner's, 5e-4). */
  readonly lr?: number;
  /** Class-balanced CE over the stroked voxels (ml/crossEntropy.ts; default strokeClassBalanced, off with 'patches'), the prior's weights adjusted to it (ml/strokePrior.ts). */
  readonly classBalanced?: boolean;
  /** Spatial augmentation of the training slices (default the fine-tuner's: the pre-training's; ml/augment.ts finetuneAugmentation drops the mirror). */
  readonly augment?: AugmentOptions;
  /** Leave the strokes a mirror contradicts unlabelled in mirrored samples (ml/mirrorSafeLabels.ts; default defaultMirrorGuard). */
  readonly mirrorGuard?: boolean;
  /** Weight of the edge-aware smoothness term (ml/smoothnessLoss.ts; default its defaultSmoothnessWeight); 0 = CE alone. */
  readonly smoothness?: number;
  readonly inferenceBatch?: number;
  /** Fine-tuning method (default defaultFinetuneMethod); 'simcvd' also learns from the unscribbled slices. */
  readonly method?: FinetuneMethod;
  /** With method 'simcvd': overrides of its settings, e.g. onTerms to print its terms per step (ml/simcvd/simcvdExtension.ts). */
  readonly simcvd?: Omit<SimcvdOptions, 'seed'>;
  /** Overrides of the stroke simulation (for experiments; the protocol's defaults otherwise). */
  readonly scribble?: Omit<ScribbleOptions, 'slicesPerLabel'>;
  /** With a pre-trained init: freeze the transferred blocks for the first steps and/or scale their learning rate (ml/transferTraining.ts). */
  readonly transfer?: Omit<TransferTraining, 'names'>;
  /** Also segment and score the volume every this many steps (the result's `curve`), e.g. to find the steps a Dice needs. */
  readonly checkpointEvery?: number;
  /** Drop predicted regions that no stroke of their structure touches (ml/keepStrokeConnected.ts), as the interactive loop does (default true; each label's Dice before it is reported too). */
  readonly keepConnected?: boolean;
  /** Set each structure's answers outside its strokes' extent (ml/strokeExtent.ts) to background, before the stroke-connected filter, as the interactive loop does (default evalSwitchDefaults.limitToExtent; each label's Dice without it is reported too). */
  readonly limitToExtent?: boolean;
  /** Fuse the answer with each structure's shape interpolated between its painted slices (ml/sliceInterpolation.ts, ml/shapeFusion.ts), after the extent limit and before the stroke-connected filter, as the interactive loop does (default evalSwitchDefaults.interpolate; each label's Dice without it is reported too). */
  readonly interpolate?: boolean;
  /** Train and segment only the box around the structures' strokes (ml/strokeBox.ts), as the interactive loop does; outside it is background (default true; not with 'patches'). */
  readonly roi?: boolean;
  /** Divide each class's probability by its share of the stroked pixels to this power before the argmax (ml/strokePrior.ts), as the interactive loop does (default defaultPriorAlpha; 0: none; each label's Dice without it is reported too). */
  readonly priorAlpha?: number;
  /** The largest weight the prior may give a class (default defaultPriorCap; Infinity: uncapped, with alpha 1 the uniform prior). */
  readonly priorCap?: number;
  /** Strokes of two or more structures: the class-balanced CE and the uniform prior (ml/severalStructures.ts), as the interactive loop does (default evalSwitchDefaults.severalStructures; not with 'patches'). */
  readonly severalStructures?: boolean;
  /** Complete the training labels inside closed outlines (ml/enclosedStrokeFill.ts) with these settings, as the interactive loop does (default: on, its default margin; null: the strokes as drawn). Where anything was filled the loss is class-balanced and the prior is not undone unless priorAlpha is given. */
  readonly enclosedFill?: EnclosedFillOptions | null;
  readonly onStep?: (step: FinetuneStepResult) => void;
  /** Sees the final class map (before the stroke-connected filter) and the strokes it was trained on, e.g. to place the errors (bench/sliceErrorProbe.ts). */
  readonly onPrediction?: (prediction: Uint8Array, scribbles: Scribbles) => void;
}

/** The mean Dice after `step` fine-tuning steps, and the fine-tuning seconds spent so far (checkpoint inference not counted). */
export interface CurvePoint {
  readonly step: number;
  readonly meanDice: number;
  readonly seconds: number;
  /** With EvalOptions.recalibrate: the mean Dice with the running statistics training left. */
  readonly runningStatsDice?: number;
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
  /** The box training and inference were cropped to (null: whole slices). */
  readonly roi: SliceBox | null;
  readonly width: number;
  readonly batch: number;
  readonly seed: number;
  /** Mean Dice at every checkpoint (EvalOptions.checkpointEvery) and at the end. */
  readonly curve: readonly CurvePoint[];
  /** With EvalOptions.recalibrate: the final mean Dice with the running statistics training left. */
  readonly runningStatsDice?: number;
  /** The batch-norm statistics the final segmentation used (recalibrationJudge.ts chooses with judgeRecalibration). */
  readonly statistics: 'recalibrated' | 'training';
  /** Whether the loss weighed the stroked classes equally (EvalOptions.classBalanced, or the closed-outline fill's choice). */
  readonly classBalanced: boolean;
  /** Whether mirrored samples were guarded against contradicting the strokes (false: the guard off, or no mirror). */
  readonly mirrorGuard: boolean;
}

/** The first checkpoint whose mean Dice reaches `dice`, or null when none does. */
export function firstReaching(curve: readonly CurvePoint[], dice: number): CurvePoint | null {
  return curve.find((point) => point.meanDice >= dice) ?? null;
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

/** The strokes' box (ml/strokeBox.ts) over the stroked slices of a label volume. */
function strokeBoxOf(labels: Int32Array, slices: readonly number[], width: number, height: number): SliceBox | null {
  const plane = width * height;
  return strokeBox(slices.map((z) => labels.subarray(z * plane, (z + 1) * plane)), width, height);
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
    extension = methodExtension(method, unet, volume, scribbles.slices, options.size, seed + 2, options.simcvd);
  } catch (thrown) {
    unet.dispose();
    throw thrown;
  }
  const roi = patches || !(options.roi ?? evalSwitchDefaults.roi) ? null : strokeBoxOf(scribbles.labels, scribbles.slices, width, height);
  // Native inference takes no class weights, so crops keep the plain CE (a balanced model would keep a uniform prior).
  const balanced = options.classBalanced ?? (patches ? false : strokeClassBalanced);
  const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, patches ? null : options.size, roi, options.enclosedFill === undefined ? {} : options.enclosedFill, !patches && (options.severalStructures ?? evalSwitchDefaults.severalStructures));
  const every = options.checkpointEvery;
  if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new Error(`runEval: checkpointEvery must be a positive integer, got ${every}.`);
  const transferred = options.init !== null && options.transfer !== undefined ? { transferred: { ...options.transfer, names: transferredNames(unet.params) } } : {};
  const tuner = createFinetuner(unet, { ...transferred, ...(extension === undefined ? {} : { extension }), totalSteps: options.steps, batch, seed: seed + 1, ...(patches ? { patch: options.size } : {}), ...((options.intensityAugment ?? evalSwitchDefaults.intensityAugment) ? { intensity: {} } : {}), classBalanced: balanced, ...(options.smoothness === undefined ? {} : { smoothness: { weight: options.smoothness } }), ...(options.lr === undefined ? {} : { lr: options.lr }), ...(options.augment === undefined ? {} : { augment: options.augment }), ...(options.mirrorGuard === undefined ? {} : { mirrorGuard: options.mirrorGuard }) });
  const lossBalanced = balanced || data.classBalanced === true;
  try {
    await tuner.setData(data);
    const weights = await trainedPriorWeights(data, labels.length + 1, patches ? 0 : options.priorAlpha, balanced, options.priorCap);
    tf.dispose([data.images, data.labels]);
    let lossFirst = NaN;
    const onStep = (step: FinetuneStepResult): void => {
      if (step.step === 0) lossFirst = step.loss;
      options.onStep?.(step);
    };
    const score = (prediction: Uint8Array, unweighted?: Uint8Array): LabelResult[] => scoreScribbled(prediction, evalCase, scribbles, options.keepConnected ?? evalSwitchDefaults.keepConnected, unweighted, (options.limitToExtent ?? evalSwitchDefaults.limitToExtent) ? {} : null, (options.interpolate ?? evalSwitchDefaults.interpolate) ? {} : null);
    const meanOf = (results: readonly LabelResult[]): number => results.reduce((sum, r) => sum + r.dice, 0) / results.length;
    const segment = async (weighed = true): Promise<Uint8Array> => (await segmentVolume(unet, volume, { size: options.size, native: patches, batch: options.inferenceBatch ?? batch, roi, classWeights: weighed ? weights : null })).labels;
    const recalibrate = !patches && (options.recalibrate ?? evalSwitchDefaults.recalibrate);
    /** The mean Dice now, and with recalibrate also the one with the running statistics training left. */
    const checkpointDice = async (): Promise<{ meanDice: number; runningStatsDice?: number }> => {
      const running = meanOf(score(await segment()));
      if (!recalibrate) return { meanDice: running };
      const trainingStats = statisticsOf(unet);
      await recalibrateBatchNorm(unet, volume, { size: options.size, roi });
      const meanDice = meanOf(score(await segment()));
      restoreStatistics(unet, trainingStats);
      return { meanDice, runningStatsDice: running };
    };
    const curve: CurvePoint[] = [];
    let trainingMs = 0;
    let checkpointMs = 0;
    let done = 0;
    let last: FinetuneStepResult | null = null;
    while (done < options.steps) {
      const n = Math.min(every ?? options.steps, options.steps - done);
      const before = performance.now();
      last = await tuner.steps(n, onStep);
      trainingMs += performance.now() - before;
      done += n;
      if (done < options.steps) {
        const checkpoint = performance.now();
        curve.push({ step: done, ...(await checkpointDice()), seconds: trainingMs / 1000 });
        checkpointMs += performance.now() - checkpoint;
      }
    }
    if (last === null) throw new Error('runEval: no fine-tuning step ran.');
    // The baseline of a recalibrated run, counted with the checkpoints (outside the timings).
    const baseline = performance.now();
    const trainingPrediction = recalibrate ? await segment() : undefined;
    const runningStatsDice = trainingPrediction === undefined ? undefined : meanOf(score(trainingPrediction));
    checkpointMs += performance.now() - baseline;
    const tuned = performance.now();
    // The training's statistics are kept aside only when the judge may need them back.
    const trainingStats = recalibrate && (options.judgeRecalibration ?? evalSwitchDefaults.judgeRecalibration) ? statisticsOf(unet) : null;
    // Counted as inference: it is part of segmenting the volume. Crops run at native resolution, which the recalibration (resized slices) does not model.
    if (recalibrate) await recalibrateBatchNorm(unet, volume, { size: options.size, roi });
    let prediction = await segment();
    let statistics: EvalResult['statistics'] = recalibrate ? 'recalibrated' : 'training';
    if (trainingStats !== null && trainingPrediction !== undefined) {
      if (keepsRecalibrated(prediction, trainingPrediction, scribbles, width * height)) tf.dispose([...trainingStats.values()]);
      else {
        restoreStatistics(unet, trainingStats);
        prediction = trainingPrediction;
        statistics = 'training';
      }
    }
    const inferred = performance.now();
    options.onPrediction?.(prediction, scribbles);
    // The same model without the prior's weights, for the Dice they add (not timed).
    const results = score(prediction, weights === null ? undefined : await segment(false));
    const running = runningStatsDice === undefined ? {} : { runningStatsDice };
    curve.push({ step: done, meanDice: meanOf(results), seconds: trainingMs / 1000, ...running });
    return {
      labels: results,
      meanDice: meanOf(results),
      labelledVoxels: results.reduce((sum, r) => sum + r.labelledVoxels + r.backgroundVoxels, 0),
      steps: options.steps,
      init: options.init === null ? 'scratch' : 'pretrained',
      method,
      lossFirst,
      lossLast: last.loss,
      // Preparation and training; the checkpoints' own inference is left out.
      finetuneSeconds: (tuned - started - checkpointMs) / 1000,
      inferenceSeconds: (inferred - tuned) / 1000,
      seconds: (inferred - started) / 1000,
      backend: tf.getBackend(),
      size: options.size,
      sampling: patches ? 'patches' : 'resize',
      roi,
      width: options.width,
      batch,
      seed,
      curve,
      statistics,
      classBalanced: lossBalanced,
      mirrorGuard: tuner.mirrorGuard !== null,
      ...running,
    };
  } finally {
    tf.dispose([data.images, data.labels]);
    tuner.dispose();
    unet.dispose();
  }
}
