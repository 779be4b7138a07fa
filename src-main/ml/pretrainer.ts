/**
 * One MACL pre-training step after another (docs/macl-method.md 3.4): views on the device,
 * the 4-pass forward, L = L_g + 0.5 L_d + L_ER, SGD (momentum 0.9, weight
 * decay 1e-5) with a per-step cosine learning rate from 0.01 to 0.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentImages, type AugmentOptions } from './augment';
import { commitBnStats, discardBnStats, trainingContext } from './batchNorm';
import { rethrowIfOutOfMemory } from './errors';
import { defaultLossWeights, maclLosses, type LossWeights } from './maclLosses';
import type { MaclModel, MaclViews } from './maclModel';
import { createRng, type Rng } from './random';
import { cosineLr } from './schedule';
import { createAdam } from './adam';
import { createSgd } from './sgd';
import { assertFiniteLoss, nowMs, readLossParts, type TrainerState } from './stepGuard';
import { defaultPositionThreshold, defaultTemperature, positiveMaskTensor } from './supCon';
import { checkInput, pretrainDivisor } from './unetSpec';

/** Pre-training settings; defaults follow the released scripts (docs/macl-method.md 3.3). */
export interface PretrainerOptions {
  /** Length of the cosine schedule, in steps. */
  readonly totalSteps: number;
  /** Initial learning rate (0.01, the released scripts'; docs/macl-method.md 8 item 1). */
  readonly lr?: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly temperature?: number;
  /** |dp| below which two slices are positives (0.1; 0.05 for BraTS-like data). */
  readonly positionThreshold?: number;
  readonly weights?: LossWeights;
  readonly augment?: AugmentOptions;
  readonly seed?: number;
  /**
   * 'sgd' (the reference: momentum 0.9, lr 0.01) or 'adam' (lr default 1e-3): Adam's per-parameter
   * step sizes get a small encoder off the plateau where all slices look alike in far fewer steps.
   */
  readonly optimizer?: PretrainOptimizer;
}

/** The pre-training optimiser (PretrainerOptions.optimizer). */
export type PretrainOptimizer = 'sgd' | 'adam';

/** B slices in [0, 1] and their normalised positions p = (k + 1) / n. */
export interface PretrainBatch {
  readonly images: tf.Tensor4D;
  readonly positions: readonly number[];
}

/** Numbers of one pre-training step, read back from the device. */
export interface PretrainStepResult {
  readonly step: number;
  readonly lr: number;
  readonly total: number;
  readonly global: number;
  readonly dense: number;
  readonly er: number;
  readonly ms: number;
}

/** A pre-training session over one MACL module. */
export interface Pretrainer {
  readonly model: MaclModel;
  /** Steps applied so far (the next step's index). */
  readonly step: number;
  trainStep(batch: PretrainBatch): Promise<PretrainStepResult>;
  /** The step count and SGD momentum buffers, for a resumable checkpoint (live tensors: encode, do not dispose). */
  checkpointState(): TrainerState;
  /** Resumes from checkpointState() values (copied). */
  restoreState(state: TrainerState): void;
  /** Frees the optimiser state (the model stays with its owner). */
  dispose(): void;
}

/**
 * The 4 views (docs/macl-method.md 2.1) with identity non-spatial augmentation: img1 = img2
 * = X; img3, img4 independent spatial augmentations; the dominant views
 * downsampled x0.25 with bilinear, align_corners (docs/macl-method.md 2.2).
 */
export function makeMaclViews(images: tf.Tensor4D, rng: Rng, augment: AugmentOptions = {}): MaclViews {
  const [, h, w] = images.shape;
  return tf.tidy(() => {
    const quarter = (x: tf.Tensor4D): tf.Tensor4D => tf.image.resizeBilinear(x, [h / 4, w / 4], true);
    const varied1 = augmentImages(images, rng, augment);
    const varied2 = augmentImages(images, rng, augment);
    return { aux: tf.clone(images), auxVaried: varied1, dom: quarter(images), domVaried: quarter(varied2) };
  });
}

/** Creates a pre-trainer for `model` (which it trains in place but does not own). */
export function createPretrainer(model: MaclModel, options: PretrainerOptions): Pretrainer {
  const totalSteps = options.totalSteps;
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(`createPretrainer: totalSteps must be a positive integer, got ${totalSteps}.`);
  const kind = options.optimizer ?? 'sgd';
  const lr0 = options.lr ?? (kind === 'adam' ? 1e-3 : 0.01);
  if (!(lr0 > 0)) throw new Error(`createPretrainer: lr must be > 0, got ${lr0}.`);
  const weights = options.weights ?? defaultLossWeights;
  const temperature = options.temperature ?? defaultTemperature;
  const threshold = options.positionThreshold ?? defaultPositionThreshold;
  const rng = createRng(options.seed ?? 1);
  const weightDecay = options.weightDecay ?? 1e-5;
  const sgd = kind === 'sgd' ? createSgd({ momentum: options.momentum ?? 0.9, weightDecay }) : null;
  const adam = kind === 'adam' ? createAdam({ weightDecay }) : null;
  const params = model.params;
  let step = 0;

  async function trainStep(batch: PretrainBatch): Promise<PretrainStepResult> {
    const { images, positions } = batch;
    checkInput('Pretrainer.trainStep', images.shape, model.spec.inChannels, pretrainDivisor, 2);
    const [b, h] = images.shape;
    if (positions.length !== b) throw new Error(`Pretrainer.trainStep: ${b} images but ${positions.length} positions.`);
    const started = nowMs();
    const lr = cosineLr(step, totalSteps, lr0);
    const ctx = trainingContext();
    const owned: tf.Tensor[] = [];
    try {
      // Augmentation happens outside the gradient tape (docs/macl-method.md 6.2).
      const views = makeMaclViews(images, rng, options.augment);
      owned.push(views.aux, views.auxVaried, views.dom, views.domVaried);
      const mask = positiveMaskTensor(positions, threshold);
      owned.push(mask);
      const kept: { parts?: tf.Tensor1D } = {};
      const { value, grads } = tf.variableGrads(() => {
        const losses = maclLosses(model.forward(views, ctx), mask, weights, temperature);
        kept.parts = tf.keep(tf.stack([losses.total, losses.global, losses.dense, losses.er]) as tf.Tensor1D);
        return losses.total;
      }, params.trainableList());
      owned.push(value, ...Object.values(grads));
      if (kept.parts === undefined) throw new Error('Pretrainer: the loss parts were not produced.');
      owned.push(kept.parts);
      const read = await readLossParts(kept.parts, ['total', 'global', 'dense', 'er'] as const);
      assertFiniteLoss('MACL pre-training', step, read);
      sgd?.apply(params.trainable(), grads, lr);
      adam?.apply(params.trainable(), grads, lr);
      commitBnStats(params, ctx);
      const result: PretrainStepResult = { step, lr, ...read, ms: nowMs() - started };
      step += 1;
      return result;
    } catch (thrown) {
      rethrowIfOutOfMemory(thrown, { what: 'A MACL pre-training step', batch: b, size: h });
    } finally {
      discardBnStats(ctx);
      tf.dispose(owned);
    }
  }

  return {
    model,
    get step() {
      return step;
    },
    trainStep,
    checkpointState: () => ({ step, optimizer: sgd?.state() ?? adam?.state() ?? new Map() }),
    restoreState(state) {
      if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Pretrainer.restoreState: step must be an integer >= 0, got ${state.step}.`);
      sgd?.setState(state.optimizer);
      adam?.setState(state.optimizer, state.step);
      step = state.step;
    },
    dispose: () => {
      sgd?.dispose();
      adam?.dispose();
    },
  };
}
