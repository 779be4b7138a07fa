/**
 * Batch normalisation written by hand (docs/macl-method.md 6.1 item 8), PyTorch
 * semantics: in training, batch moments over N, H, W with the biased variance
 * normalise the activations, and the running statistics move by momentum 0.1
 * towards the batch mean and the UNBIASED batch variance; in inference the
 * running statistics are used. eps = 1e-5.
 *
 * Running-stat updates are not written during the forward pass: they are
 * collected in the BnContext and committed after the step's loss is known to
 * be finite, so a NaN step leaves the model exactly as it was.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormInference, batchNormTrain } from './channelOps';
import type { ParamStore } from './paramStore';

/** PyTorch BatchNorm2d defaults (docs/macl-method.md 1.1). */
export const bnEpsilon = 1e-5;
export const bnMomentum = 0.1;

/** One layer's batch moments, kept until commit or discard. */
interface PendingStats {
  readonly name: string;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly count: number;
}

/** How the BN layers of one forward pass behave. */
export interface BnContext {
  readonly training: boolean;
  /** Batch moments waiting for commitBnStats (training only). */
  readonly pending: PendingStats[];
}

/** Training mode: batch statistics, running-stat updates collected for commit. */
export function trainingContext(): BnContext {
  return { training: true, pending: [] };
}

/** Inference mode: running statistics, nothing collected. */
export function inferenceContext(): BnContext {
  return { training: false, pending: [] };
}

/** Adds `${name}.gamma` (1), `${name}.beta` (0) and the running `${name}.mean` (0), `${name}.var` (1). */
export function addBatchNorm(store: ParamStore, name: string, channels: number): void {
  store.add(`${name}.gamma`, tf.ones([channels]), 'trainable');
  store.add(`${name}.beta`, tf.zeros([channels]), 'trainable');
  store.add(`${name}.mean`, tf.zeros([channels]), 'buffer');
  store.add(`${name}.var`, tf.ones([channels]), 'buffer');
}

/** Applies BN `name` to x [B, H, W, C] (or [B, C]). */
export function batchNorm<T extends tf.Tensor>(store: ParamStore, name: string, x: T, ctx: BnContext): T {
  const gamma = store.get(`${name}.gamma`);
  const beta = store.get(`${name}.beta`);
  if (!ctx.training) {
    return batchNormInference(x, store.get(`${name}.mean`), store.get(`${name}.var`), beta, gamma, bnEpsilon);
  }
  const count = x.size / (x.shape[x.rank - 1] ?? 1);
  if (count < 2) throw new Error(`batchNorm ${name}: training needs more than one value per channel, got input [${x.shape.join(', ')}] (use a batch of at least 2).`);
  return tf.tidy(() =>
    batchNormTrain(x, gamma, beta, bnEpsilon, ({ mean, variance }) => {
      ctx.pending.push({ name, mean: tf.keep(mean), variance: tf.keep(variance), count });
    }),
  );
}

/**
 * Moves the running statistics towards every pending batch moment, in the
 * order the forward pass produced them (the shared encoder sees 4 batches per
 * pre-training step, hence 4 momentum updates, as in PyTorch; docs/macl-method.md 3.3).
 */
export function commitBnStats(store: ParamStore, ctx: BnContext, momentum = bnMomentum): void {
  tf.tidy(() => {
    for (const p of ctx.pending) {
      const runningMean = store.get(`${p.name}.mean`);
      const runningVar = store.get(`${p.name}.var`);
      const unbiased = tf.mul(p.variance, p.count / (p.count - 1));
      runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(p.mean, momentum)));
      runningVar.assign(tf.add(tf.mul(runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
    }
  });
  discardBnStats(ctx);
}

/** Drops pending statistics (a rejected step) and frees their tensors. */
export function discardBnStats(ctx: BnContext): void {
  for (const p of ctx.pending) tf.dispose([p.mean, p.variance]);
  ctx.pending.length = 0;
}
