/**
 * SimCVD (You et al., IEEE TMI 2022) as a fine-tuning extension of the 2D
 * U-Net (ml/finetuneExtension.ts): the U-Net being fine-tuned is the
 * student; a mean teacher (meanTeacher.ts) follows it. Each step sees the
 * augmented stroked slices plus a batch of unlabelled slices of the same
 * scan and adds to the fine-tuner's masked CE (and smoothness term):
 *   supervised, on the stroked voxels: soft Dice + alpha MSE(distance head,
 *     signed distance target);
 *   unsupervised, on every slice of the batch, weighted by the ramp-up
 *     exp(-5 (1 - t/T)^2): lambda * boundary-aware contrast (InfoNCE, tau
 *     0.5, between the student's and the teacher's projections of image +
 *     predicted distance maps, each through its own AlphaDropout mask)
 *     + beta * pair-wise distillation of bottleneck voxel relations
 *     + gamma * consistency (MSE of the class probabilities; the teacher
 *     sees the input with clipped Gaussian noise).
 * What differs from the 3D paper, and why, is in docs/ml-notes.md.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentImages, type AugmentOptions } from '../augment';
import { discardBnStats, trainingContext, type BnContext } from '../batchNorm';
import { runDecoder, runHead } from '../decoder';
import { runEncoder } from '../encoder';
import type { FinetuneBatch, FinetuneExtension, FinetuneStepPlace } from '../finetuneExtension';
import type { ParamStore } from '../paramStore';
import type { Rng } from '../random';
import type { UNet } from '../unet';
import { createTeacher, teacherDecay, updateTeacher } from './meanTeacher';
import { classSignedDistances } from './signedDistance';
import { createSimcvdHeads, defaultProjector, distanceHead, projectSlices, type ProjectorShape } from './simcvdHeads';
import { contrastTemperature, maskedMse, pairwiseDistillation, partialDiceLoss, rampUp, symmetricInfoNce } from './simcvdLosses';

/** SimCVD's settings; the defaults are the paper's except where docs/ml-notes.md says otherwise. */
export interface SimcvdOptions {
  /** Unlabelled slices per step (default 4). */
  readonly unlabelledBatch?: number;
  /** The teacher's EMA decay (default 0.99; the paper's 0.999 is for 6000 iterations). */
  readonly emaDecay?: number;
  /** Use min(decay, (1 + t) / (10 + t)) early on (default true). */
  readonly emaWarmUp?: boolean;
  /** Weight of the distance-map MSE (alpha, default 0.1). */
  readonly distanceWeight?: number;
  /** Weight of the soft Dice term (default 1). */
  readonly diceWeight?: number;
  /** Weight of the boundary-aware contrast (lambda, default 0.5). */
  readonly contrastWeight?: number;
  /** Weight of the pair-wise distillation (beta, default 0.1). */
  readonly distillationWeight?: number;
  /** Weight of the consistency term (gamma, default 0.1). */
  readonly consistencyWeight?: number;
  /** AlphaDropout probability of the contrast views (default 0.1). */
  readonly dropout?: number;
  readonly temperature?: number;
  /** Standard deviation of the teacher's input noise, clipped at twice it (default 0.1). */
  readonly noise?: number;
  readonly projector?: ProjectorShape;
  /** Augmentation of the unlabelled slices (default: the fine-tuner's). */
  readonly augment?: AugmentOptions;
  readonly seed?: number;
  /**
   * Called inside every step's forward pass with each term's value, for diagnosing a run (it
   * reads the values back, which costs a synchronous download per term; leave it unset otherwise).
   */
  readonly onTerms?: (terms: SimcvdTerms) => void;
}

/** One step's SimCVD terms, unweighted, and the ramp-up weight of the unsupervised ones. */
export interface SimcvdTerms {
  readonly dice: number;
  readonly distance: number;
  readonly contrast: number;
  readonly distillation: number;
  readonly consistency: number;
  readonly ramp: number;
  /** The extension's whole extra loss: the weighted sum of the terms above. */
  readonly extra: number;
}

/** The extension plus what its users and tests need. */
export interface SimcvdExtension extends FinetuneExtension {
  /** The mean teacher: the U-Net's and the heads' parameters under the same names. */
  readonly teacher: ParamStore;
  /** The distance head and projector (the student's). */
  readonly heads: ParamStore;
  /** Replaces the unlabelled slices [M, S, S, C] (copied); an empty set leaves only the stroked slices. */
  setUnlabelled(images: tf.Tensor4D): void;
}

/** What prepare() computes for the step's forward pass (all freed in release()). */
interface Prepared {
  readonly unlabelled: tf.Tensor4D | null;
  readonly teacherEmbedding: tf.Tensor2D;
  readonly teacherProbs: tf.Tensor4D;
  readonly teacherBottleneck: tf.Tensor4D;
  readonly distanceTarget: tf.Tensor4D;
  readonly studentDropoutSeed: number;
  readonly ramp: number;
}

/** Student pass on x: logits, distance maps and bottleneck. */
function runModel(store: ParamStore, heads: ParamStore, x: tf.Tensor4D, ctx: BnContext): { logits: tf.Tensor4D; distances: tf.Tensor4D; bottleneck: tf.Tensor4D } {
  const encoded = runEncoder(store, x, ctx);
  const features = runDecoder(store, encoded, 4, ctx);
  return { logits: runHead(store, features), distances: distanceHead(heads, features), bottleneck: encoded.bottleneck };
}

/** Creates SimCVD for `unet` (the student, trained in place by the fine-tuner). */
export function createSimcvd(unet: UNet, options: SimcvdOptions = {}): SimcvdExtension {
  const classes = unet.spec.classes;
  const projector = options.projector ?? defaultProjector;
  const heads = createSimcvdHeads(unet.spec.width, classes, projector, options.seed ?? 1);
  const teacher = createTeacher([unet.params, heads]);
  const unlabelledBatch = options.unlabelledBatch ?? 4;
  const dropout = options.dropout ?? 0.1;
  const temperature = options.temperature ?? contrastTemperature;
  const noise = options.noise ?? 0.1;
  const weights = {
    dice: options.diceWeight ?? 1,
    distance: options.distanceWeight ?? 0.1,
    contrast: options.contrastWeight ?? 0.5,
    distillation: options.distillationWeight ?? 0.1,
    consistency: options.consistencyWeight ?? 0.1,
  };
  if (!Number.isInteger(unlabelledBatch) || unlabelledBatch < 0) throw new Error(`createSimcvd: unlabelledBatch must be an integer >= 0, got ${unlabelledBatch}.`);
  let pool: tf.Tensor4D | null = null;
  let prepared: Prepared | null = null;

  const inputsOf = (batch: FinetuneBatch, unlabelled: tf.Tensor4D | null): tf.Tensor4D => (unlabelled === null ? batch.images : tf.concat([batch.images, unlabelled], 0));

  return {
    teacher,
    heads,
    trainable: heads.trainable(),
    setUnlabelled(images) {
      if (images.shape[3] !== unet.spec.inChannels) throw new Error(`SimCVD: the unlabelled slices have ${images.shape[3]} channels, the model takes ${unet.spec.inChannels}.`);
      const copy = images.shape[0] === 0 ? null : tf.clone(images);
      pool?.dispose();
      pool = copy;
    },
    async prepare(batch, place, rng: Rng) {
      const [b, h, w] = batch.images.shape;
      if (pool !== null && (pool.shape[1] !== h || pool.shape[2] !== w)) throw new Error(`SimCVD: the unlabelled slices are ${pool.shape[1]}x${pool.shape[2]}, the labelled ${h}x${w}.`);
      const source = pool;
      const unlabelled = source === null || unlabelledBatch === 0 ? null : tf.tidy(() => {
        const picks = Array.from({ length: unlabelledBatch }, () => rng.int(source.shape[0]));
        return augmentImages(tf.gather(source, tf.tensor1d(picks, 'int32')), rng, options.augment);
      });
      const noiseSeed = rng.seed();
      const teacherDropoutSeed = rng.seed();
      const studentDropoutSeed = rng.seed();
      const teacherCtx = trainingContext(); // batch statistics, as the student's pass; never committed
      try {
        const out = tf.tidy(() => {
          const x = inputsOf(batch, unlabelled);
          const jitter = tf.clipByValue(tf.randomNormal(x.shape, 0, noise, 'float32', noiseSeed), -2 * noise, 2 * noise);
          const t = runModel(teacher, teacher, tf.add(x, jitter), teacherCtx);
          const probs = tf.softmax(t.logits);
          const hard = tf.argMax(tf.slice(t.logits, [0, 0, 0, 0], [b, h, w, classes]), -1);
          // The strokes overrule the teacher where they exist: the distance target's mask.
          const mask = tf.where(tf.greaterEqual(batch.labels, 0), batch.labels, tf.cast(hard, 'int32'));
          return { embedding: projectSlices(teacher, x, t.distances, projector.grid, dropout, teacherDropoutSeed), probs, bottleneck: t.bottleneck, mask };
        });
        const maskValues = await out.mask.data();
        out.mask.dispose();
        const distanceTarget = tf.tensor4d(classSignedDistances(maskValues, b, h, w, classes), [b, h, w, classes - 1]);
        prepared = { unlabelled, teacherEmbedding: out.embedding, teacherProbs: out.probs, teacherBottleneck: out.bottleneck, distanceTarget, studentDropoutSeed, ramp: rampUp(place.cycleStep, place.cycleSteps) };
      } catch (thrown) {
        unlabelled?.dispose();
        throw thrown;
      } finally {
        discardBnStats(teacherCtx);
      }
    },
    forward(batch, ctx) {
      const ready = prepared;
      if (ready === null) throw new Error('SimCVD: forward() before prepare().');
      const [b, h, w] = batch.images.shape;
      const x = inputsOf(batch, ready.unlabelled);
      const s = runModel(unet.params, heads, x, ctx);
      const logits = tf.slice(s.logits, [0, 0, 0, 0], [b, h, w, classes]) as tf.Tensor4D;
      const dice = partialDiceLoss(tf.softmax(logits), batch.labels);
      const distances = tf.slice(s.distances, [0, 0, 0, 0], [b, h, w, classes - 1]) as tf.Tensor4D;
      const distance = maskedMse(distances, ready.distanceTarget, batch.valid);
      const embedding = projectSlices(heads, x, s.distances, projector.grid, dropout, ready.studentDropoutSeed);
      const contrast = symmetricInfoNce(embedding, ready.teacherEmbedding, temperature);
      const distillation = pairwiseDistillation(s.bottleneck, ready.teacherBottleneck, temperature);
      const consistency = tf.mean(tf.square(tf.sub(tf.softmax(s.logits), ready.teacherProbs)));
      const unsupervised = tf.addN([tf.mul(contrast, weights.contrast), tf.mul(distillation, weights.distillation), tf.mul(consistency, weights.consistency)]);
      const extra = tf.addN([tf.mul(dice, weights.dice), tf.mul(distance, weights.distance), tf.mul(unsupervised, ready.ramp)]) as tf.Scalar;
      const read = (t: tf.Tensor): number => t.dataSync()[0] ?? NaN;
      options.onTerms?.({ dice: read(dice), distance: read(distance), contrast: read(contrast), distillation: read(distillation), consistency: read(consistency), ramp: ready.ramp, extra: read(extra) });
      return { logits, extra };
    },
    afterStep(place: FinetuneStepPlace) {
      updateTeacher(teacher, [unet.params, heads], teacherDecay(place.step, options.emaDecay ?? 0.99, options.emaWarmUp ?? true));
    },
    release() {
      if (prepared === null) return;
      const { unlabelled, teacherEmbedding, teacherProbs, teacherBottleneck, distanceTarget } = prepared;
      tf.dispose([teacherEmbedding, teacherProbs, teacherBottleneck, distanceTarget, ...(unlabelled === null ? [] : [unlabelled])]);
      prepared = null;
    },
    dispose() {
      pool?.dispose();
      pool = null;
      heads.dispose();
      teacher.dispose();
    },
  };
}
