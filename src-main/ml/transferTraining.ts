/**
 * How the fine-tuner treats the parameters copied from a pre-trained model (transfer.ts): frozen
 * for the first `freezeSteps` steps, so that the new decoder blocks and head fit the strokes on
 * top of the pre-trained features before any gradient reaches them, and afterwards trained at
 * `lrScale` times the learning rate, so that a few noisy steps do not overwrite them. Both are
 * the usual remedies when a transfer is lost in the first steps of a small fine-tuning.
 */
import type * as tf from '@tensorflow/tfjs';

/** Transfer settings of a fine-tuning (FinetunerOptions.transferred). */
export interface TransferTraining {
  /** Parameter names that came from the pre-trained model (what transferParams returns). */
  readonly names: readonly string[];
  /** Steps (counted from the fine-tuner's first) during which these parameters do not change (default 0). */
  readonly freezeSteps?: number;
  /** Learning-rate multiplier for these parameters once they train (default 1). */
  readonly lrScale?: number;
}

/** Checks the settings; throws a message naming the bad value. */
export function checkTransferTraining(t: TransferTraining): void {
  const freeze = t.freezeSteps ?? 0;
  const scale = t.lrScale ?? 1;
  if (!Number.isInteger(freeze) || freeze < 0) throw new Error(`Transfer: freezeSteps must be an integer >= 0, got ${freeze}.`);
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new Error(`Transfer: lrScale must be a finite number >= 0, got ${scale}.`);
}

/** The parameters that train at `step`: all of `trained`, less the transferred ones while they are frozen. */
export function parametersTrainedAt(trained: ReadonlyMap<string, tf.Variable>, step: number, t: TransferTraining | undefined): ReadonlyMap<string, tf.Variable> {
  if (t === undefined || step >= (t.freezeSteps ?? 0)) return trained;
  const frozen = new Set(t.names);
  return new Map([...trained].filter(([name]) => !frozen.has(name)));
}

/** Per-parameter learning-rate multipliers for Adam.apply (undefined when all are 1). */
export function transferLrScales(t: TransferTraining | undefined): ReadonlyMap<string, number> | undefined {
  const scale = t?.lrScale ?? 1;
  if (t === undefined || scale === 1) return undefined;
  return new Map(t.names.map((name) => [name, scale]));
}
