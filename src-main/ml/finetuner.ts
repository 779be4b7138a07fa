/**
 * Few-shot fine-tuning from sparse labels (docs/macl-method.md 4.1): masked CE,
 * Adam 5e-4 with a per-step cosine to 5e-6 and L2 weight decay 1e-5 (PyTorch
 * Adam), the pre-training's spatial augmentation applied jointly to images
 * and labels, guarded so that mirrors and turns never make the strokes
 * contradict (mirrorSafeLabels.ts; augment.ts finetuneAugmentation, without
 * the mirror, is an option). Warm continuation: setData() swaps in new strokes and steps()
 * goes on from the current weights and Adam moments; restartSchedule() starts
 * a new cosine cycle when the caller wants a fresh budget.
 */
import * as tf from '@tensorflow/tfjs';
import { createAdam } from './adam';
import { augmentWithLabels, type AugmentOptions, type SidedSamples } from './augment';
import { commitBnStats, discardBnStats, trainingContext } from './batchNorm';
import { maskedCrossEntropy } from './crossEntropy';
import type { FinetuneExtension, FinetuneStepPlace } from './finetuneExtension';
import { defaultSmoothnessWeight, smoothnessLoss, type SmoothnessOptions } from './smoothnessLoss';
import { rethrowIfOutOfMemory } from './errors';
import { createRng } from './random';
import { defaultMirrorGuard, mirrorSafeLabels } from './mirrorSafeLabels';
import { cosineLr } from './schedule';
import { assertFiniteLoss, nowMs, readLossParts, type TrainerState } from './stepGuard';
import type { UNet } from './unet';
import { checkInput, unetDivisor } from './unetSpec';
import { augmentIntensity, type IntensityAugmentOptions } from './intensityAugment';
import { createPatchSampler, type PatchSampler } from './patchSampler';
import { checkTrainingSize } from './resample';
import { globalGradNorm } from './gradientNorm';
import { checkTransferTraining, parametersTrainedAt, transferLrScales, type TransferTraining } from './transferTraining';

/** Fine-tuning settings; defaults are the reference recipe (docs/macl-method.md 4.1) for f = 32. */
export interface FinetunerOptions {
  /** Length of the cosine cycle, in steps. */
  readonly totalSteps: number;
  /** Slices per step (default 8; drawn with replacement from the labelled slices). */
  readonly batch?: number;
  readonly lr?: number;
  readonly lrMin?: number;
  readonly weightDecay?: number;
  /** Spatial augmentation of images and labels (default the pre-training's; finetuneAugmentation drops its mirror). */
  readonly augment?: AugmentOptions;
  readonly seed?: number;
  /**
   * The mirror guard (mirrorSafeLabels.ts), decided at every setData (default
   * defaultMirrorGuard): mirrored samples swap a left/right pair's labels and
   * leave out a one-sided structure contradicted by the strokes on its twin,
   * and the slices showing either stay upright. Slices given at their own
   * resolution (`patch`) are not guarded.
   */
  readonly mirrorGuard?: boolean;
  /** Class-balanced CE over the labelled voxels (see crossEntropy.ts; default false). */
  readonly classBalanced?: boolean;
  /** The edge-aware smoothness term (smoothnessLoss.ts) and its weight (default defaultSmoothnessWeight; weight 0: CE alone, MACL's recipe). */
  readonly smoothness?: SmoothnessOptions & { readonly weight: number };
  /** Extra training terms (e.g. simcvd/); the fine-tuner disposes it. */
  readonly extension?: FinetuneExtension;
  /**
   * Train on patch x patch crops around the strokes (patchSampler.ts) of
   * slices given at the image's own resolution, any size (default: none, the
   * slices are given at the training size and used whole).
   */
  readonly patch?: number;
  /** Gamma, contrast, brightness and noise per crop (intensityAugment.ts; default none). */
  readonly intensity?: IntensityAugmentOptions;
  /** Freezing and learning-rate multiplier of the parameters transferred from pre-training (transferTraining.ts; default: trained like the rest). */
  readonly transferred?: TransferTraining;
}

/** Labelled training slices (at the training size, or at the image's own with FinetunerOptions.patch): images [N, H, W, C] in [0, 1], labels int32 [N, H, W] with -1 = unlabelled. */
export interface FinetuneData {
  readonly images: tf.Tensor4D;
  readonly labels: tf.Tensor3D;
  /** Weigh the classes equally in the loss for these labels even where FinetunerOptions.classBalanced is off (labels completed inside outlines, ml/enclosedStrokeFill.ts, are no longer a thin line against a band; strokes of several structures, severalStructures.ts). */
  readonly classBalanced?: boolean;
}

/** Numbers of one fine-tuning step, read back from the device. */
export interface FinetuneStepResult {
  readonly step: number;
  readonly lr: number;
  readonly loss: number;
  /** Labelled voxels in this step's (augmented) batch. */
  readonly labelled: number;
  /** Global L2 norm of the loss gradient over the parameters trained this step. */
  readonly gradNorm: number;
  readonly ms: number;
}

/** What the mirror guard decided for the current strokes. */
export interface MirrorGuardDecision {
  /** The structures whose strokes the mirror contradicts (left unlabelled in mirrored samples). */
  readonly contradicted: readonly number[];
  /** Left/right pairs whose labels mirrored samples swap. */
  readonly swapped: readonly (readonly [number, number])[];
  /** Stroked pixels left unlabelled in mirrored samples. */
  readonly dropped: number;
  /** Training slices whose samples are kept upright (they show a one-sided structure or a pair). */
  readonly upright: number;
}

/** A fine-tuning session over one U-Net, continued warm across new strokes. */
export interface Finetuner {
  readonly unet: UNet;
  /** The mirror guard's decision for the current strokes (null: no data yet, the guard off, no mirror or crops). */
  readonly mirrorGuard: MirrorGuardDecision | null;
  /** Steps applied so far, over all cycles. */
  readonly step: number;
  /** Replaces the training slices (copied; the caller keeps ownership of `data`). Checks label values. */
  setData(data: FinetuneData): Promise<void>;
  /**
   * Runs one step's forward and backward pass and the optimiser's kernels on a
   * blank batch of `size` x `size` slices, then drops everything: the weights,
   * moments, step count and random sequence stay as they were. A GPU backend
   * compiles the step's shaders here instead of at the first real step.
   */
  warmUp(size: number): Promise<void>;
  /** Runs n steps; onStep sees each result (e.g. to stream progress). Returns the last. */
  steps(n: number, onStep?: (result: FinetuneStepResult) => void): Promise<FinetuneStepResult>;
  /** Starts a new cosine cycle of `totalSteps` from the current weights and optimiser moments. */
  restartSchedule(totalSteps?: number): void;
  /** Step count and Adam moments, for a checkpoint that a later session continues warm (live tensors: encode, do not dispose). */
  checkpointState(): TrainerState;
  /** Continues from checkpointState() values (copied); the cosine cycle restarts at `state.step`. */
  restoreState(state: TrainerState): void;
  /** Frees the optimiser state and the copied data (the U-Net stays with its owner). */
  dispose(): void;
}

/** Creates a fine-tuner for `unet` (which it trains in place but does not own). */
export function createFinetuner(unet: UNet, options: FinetunerOptions): Finetuner {
  let cycleSteps = options.totalSteps;
  const checkSteps = (n: number, what: string): void => {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Finetuner: ${what} must be a positive integer, got ${n}.`);
  };
  checkSteps(cycleSteps, 'totalSteps');
  const batch = options.batch ?? 8;
  if (!Number.isInteger(batch) || batch < 2) throw new Error(`createFinetuner: batch must be an integer >= 2 (batch norm needs batch statistics), got ${batch}.`);
  const lr0 = options.lr ?? 5e-4;
  const lrMin = options.lrMin ?? 5e-6;
  const rng = createRng(options.seed ?? 1);
  const adam = createAdam({ weightDecay: options.weightDecay ?? 1e-5 });
  const params = unet.params;
  const extension = options.extension;
  // The extension's variables are trained by the same Adam (its names must not clash with the U-Net's).
  const trained: ReadonlyMap<string, tf.Variable> = extension === undefined ? params.trainable() : new Map([...params.trainable(), ...extension.trainable]);
  if (options.transferred !== undefined) checkTransferTraining(options.transferred);
  const lrScales = transferLrScales(options.transferred);
  let data: FinetuneData | null = null;
  const patch = options.patch;
  if (patch !== undefined) checkTrainingSize(patch, unetDivisor, 'createFinetuner (patch)');
  let patches: PatchSampler | null = null;
  const guarded = (options.mirrorGuard ?? defaultMirrorGuard) && (options.augment?.flip ?? true) && patch === undefined;
  // The labels of mirrored samples and the slices kept upright, where the guard changed anything (null: the strokes as they are).
  let guard: { readonly reflected: tf.Tensor3D; readonly sidedSlices: Uint8Array } | null = null;
  let guardDecision: MirrorGuardDecision | null = null;
  let step = 0;
  let cycleStart = 0;

  async function setData(next: FinetuneData): Promise<void> {
    // Crops are cut to a multiple of 16 whatever the slice size, so native slices may be any size.
    checkInput('Finetuner.setData', next.images.shape, unet.spec.inChannels, patch === undefined ? unetDivisor : 1, 1);
    const [n, h, w] = next.images.shape;
    if (next.labels.dtype !== 'int32' || next.labels.shape.join() !== [n, h, w].join()) {
      throw new Error(`Finetuner.setData: labels must be int32 [${n}, ${h}, ${w}], got ${next.labels.dtype} [${next.labels.shape.join(', ')}].`);
    }
    const range = tf.tidy(() => tf.stack([tf.min(next.labels), tf.max(next.labels)]));
    const [low = 0, high = 0] = await range.data();
    range.dispose();
    if (low < -1 || high >= unet.spec.classes) {
      throw new Error(`Finetuner.setData: labels must be -1 (unlabelled) or 0..${unet.spec.classes - 1}, got values from ${low} to ${high}.`);
    }
    if (high < 0) throw new Error('Finetuner.setData: no voxel is labelled.');
    if (patch !== undefined) {
      const [images, labels] = await Promise.all([next.images.data() as Promise<Float32Array>, next.labels.data() as Promise<Int32Array>]);
      // A crop larger than the slice would only add padding to every step.
      const fitted = Math.min(patch, Math.ceil(Math.max(h, w) / unetDivisor) * unetDivisor);
      patches = createPatchSampler({ images, labels, count: n, height: h, width: w, channels: unet.spec.inChannels }, fitted);
    }
    let nextGuard: typeof guard = null;
    if (guarded) {
      const [images, labels] = await Promise.all([next.images.data() as Promise<Float32Array>, next.labels.data() as Promise<Int32Array>]);
      const safe = mirrorSafeLabels({ images, labels, count: n, height: h, width: w, channels: unet.spec.inChannels });
      guardDecision = { contradicted: safe.contradicted, swapped: safe.swapped, dropped: safe.dropped, upright: safe.sidedSlices.reduce((sum, v) => sum + v, 0) };
      if (safe.contradicted.length > 0 || safe.swapped.length > 0) nextGuard = { reflected: tf.tensor3d(safe.reflected, [n, h, w], 'int32'), sidedSlices: safe.sidedSlices };
    }
    const copy = { images: tf.clone(next.images), labels: tf.clone(next.labels), ...(next.classBalanced === undefined ? {} : { classBalanced: next.classBalanced }) };
    if (data !== null) tf.dispose([data.images, data.labels]);
    guard?.reflected.dispose();
    data = copy;
    guard = nextGuard;
  }

  /** One step on `current`; with `warmUpOnly`, the gradients and the optimiser's kernels are computed and dropped, and `stepRng` replaces the step's random sequence. */
  async function trainStep(current: FinetuneData, warmUpOnly = false, stepRng = rng, sampler: PatchSampler | null = patches, guardNow: typeof guard = guard): Promise<FinetuneStepResult> {
    const started = nowMs();
    const lr = cosineLr(step - cycleStart, cycleSteps, lr0, lrMin);
    const count = current.images.shape[0];
    const ctx = trainingContext();
    const owned: tf.Tensor[] = [];
    try {
      const augmented = tf.tidy(() => {
        let images: tf.Tensor4D;
        let labels: tf.Tensor3D;
        let sided: SidedSamples | undefined;
        if (sampler !== null) {
          const crops = sampler.sample(batch, stepRng);
          images = tf.tensor4d(crops.images, [batch, sampler.patch, sampler.patch, unet.spec.inChannels]);
          labels = tf.tensor3d(crops.labels, [batch, sampler.patch, sampler.patch], 'int32');
        } else {
          const picked = Array.from({ length: batch }, () => stepRng.int(count));
          const indices = tf.tensor1d(picked, 'int32');
          images = tf.gather(current.images, indices);
          labels = tf.gather(current.labels, indices);
          if (guardNow !== null) sided = { reflected: tf.gather(guardNow.reflected, indices), upright: picked.map((i) => guardNow.sidedSlices[i] ?? 0) };
        }
        const spatial = augmentWithLabels(images, labels, stepRng, options.augment, sided);
        if (options.intensity === undefined) return spatial;
        return { ...spatial, images: augmentIntensity(spatial.images, stepRng, options.intensity) };
      });
      owned.push(augmented.images, augmented.labels, augmented.valid);
      const place: FinetuneStepPlace = { step, cycleStep: step - cycleStart, cycleSteps };
      await extension?.prepare(augmented, place, stepRng);
      const smoothWeight = options.smoothness?.weight ?? defaultSmoothnessWeight;
      if (!(smoothWeight >= 0)) throw new Error(`Finetuner: the smoothness weight must be >= 0, got ${smoothWeight}.`);
      const kept: { parts?: tf.Tensor1D } = {};
      const trainedNow = warmUpOnly ? trained : parametersTrainedAt(trained, step, options.transferred);
      const { value, grads } = tf.variableGrads(() => {
        const extended = extension?.forward(augmented, ctx);
        const logits = extended?.logits ?? unet.logits(augmented.images, ctx);
        const { loss: ce, labelled } = maskedCrossEntropy(logits, augmented.labels, { classBalanced: current.classBalanced === true || options.classBalanced === true });
        const supervised = smoothWeight > 0 ? tf.add(ce, tf.mul(smoothnessLoss(logits, augmented.images, augmented.valid, options.smoothness), smoothWeight)) as tf.Scalar : ce;
        const loss = extended === undefined ? supervised : tf.add(supervised, extended.extra) as tf.Scalar;
        kept.parts = tf.keep(tf.stack([loss, labelled]) as tf.Tensor1D);
        return loss;
      }, [...trainedNow.values()]);
      owned.push(value, ...Object.values(grads));
      if (kept.parts === undefined) throw new Error('Finetuner: the loss was not produced.');
      owned.push(kept.parts);
      // Read with the loss: a collapse could then be laid beside the gradients (bench/finetuneStability.ts).
      const norm = globalGradNorm(grads);
      owned.push(norm);
      const [read, gradNorm] = await Promise.all([readLossParts(kept.parts, ['loss', 'labelled'] as const), norm.data().then((v) => v[0] ?? NaN)]);
      if (warmUpOnly) {
        adam.warmUp(trained, grads);
        return { step, lr, loss: read.loss, labelled: read.labelled, gradNorm, ms: nowMs() - started };
      }
      assertFiniteLoss('Fine-tuning', step, { loss: read.loss });
      adam.apply(trainedNow, grads, lr, lrScales);
      commitBnStats(params, ctx);
      extension?.afterStep(place);
      const result: FinetuneStepResult = { step, lr, loss: read.loss, labelled: read.labelled, gradNorm, ms: nowMs() - started };
      step += 1;
      return result;
    } catch (thrown) {
      return rethrowIfOutOfMemory(thrown, { what: 'A fine-tuning step', batch, size: sampler?.patch ?? current.images.shape[1] });
    } finally {
      discardBnStats(ctx);
      tf.dispose(owned);
      extension?.release();
    }
  }

  return {
    unet,
    get step() {
      return step;
    },
    get mirrorGuard() {
      return guardDecision;
    },
    setData,
    async warmUp(size) {
      const blank = tf.tidy(() => ({
        images: tf.zeros([batch, size, size, unet.spec.inChannels]) as tf.Tensor4D,
        // One labelled voxel per slice, so the loss and every gradient exist.
        labels: tf.pad(tf.fill([batch, 1, 1], 0, 'int32'), [[0, 0], [0, size - 1], [0, size - 1]], -1) as tf.Tensor3D,
      }));
      try {
        await trainStep(blank, true, createRng(0), null, null);
      } finally {
        tf.dispose([blank.images, blank.labels]);
      }
    },
    async steps(n, onStep) {
      checkSteps(n, 'the number of steps');
      if (data === null) throw new Error('Finetuner.steps: call setData() with labelled slices first.');
      let last: FinetuneStepResult | null = null;
      for (let i = 0; i < n; i += 1) {
        last = await trainStep(data);
        onStep?.(last);
      }
      if (last === null) throw new Error('Finetuner.steps: no step ran.');
      return last;
    },
    checkpointState: () => ({ step, optimizer: adam.state() }),
    restoreState(state) {
      if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Finetuner.restoreState: step must be an integer >= 0, got ${state.step}.`);
      adam.setState(state.optimizer, state.step);
      step = state.step;
      cycleStart = state.step;
    },
    restartSchedule(totalSteps = cycleSteps) {
      checkSteps(totalSteps, 'totalSteps');
      cycleSteps = totalSteps;
      cycleStart = step;
    },
    dispose() {
      adam.dispose();
      extension?.dispose();
      if (data !== null) tf.dispose([data.images, data.labels]);
      guard?.reflected.dispose();
      guard = null;
      data = null;
      patches = null;
    },
  };
}
