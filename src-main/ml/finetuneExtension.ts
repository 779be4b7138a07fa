/**
 * A way to add training terms to the fine-tuner without changing its loop:
 * the step's augmented labelled batch is shown to the extension before the
 * gradient tape (for work that reads values back or runs a model that is not
 * trained, such as a mean teacher), the extension computes the logits and an
 * extra loss inside the tape, and it hears about every accepted step. Its own
 * variables are trained by the same Adam as the U-Net. simcvd/ is one.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BnContext } from './batchNorm';
import type { Rng } from './random';

/** One step's augmented labelled batch, as the fine-tuner made it. */
export interface FinetuneBatch {
  readonly images: tf.Tensor4D;
  /** int32, -1 where unlabelled or outside the augmented image. */
  readonly labels: tf.Tensor3D;
  /** 1 where the augmented image samples the original, 0 on its padding. */
  readonly valid: tf.Tensor4D;
}

/** Where the step is in its cosine cycle. */
export interface FinetuneStepPlace {
  /** Steps applied so far, over all cycles. */
  readonly step: number;
  /** Steps into the current cycle and its length. */
  readonly cycleStep: number;
  readonly cycleSteps: number;
}

export interface FinetuneExtension {
  /** Variables trained beside the U-Net's (names must not clash with the U-Net's). */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  /** Before the tape: may run untrained models and read values back. What it keeps lives until release(). */
  prepare(batch: FinetuneBatch, place: FinetuneStepPlace, rng: Rng): Promise<void>;
  /** Inside the tape: the labelled batch's logits [B, H, W, K] and the extension's extra loss. */
  forward(batch: FinetuneBatch, ctx: BnContext): { logits: tf.Tensor4D; extra: tf.Scalar };
  /** After the optimiser applied an accepted step (not after a warm-up). */
  afterStep(place: FinetuneStepPlace): void;
  /** Frees what prepare() kept; called after every step, accepted or not. */
  release(): void;
  dispose(): void;
}
