/**
 * Shared by the training steps: read the loss parts back with `await data()`
 * (never dataSync: it blocks forever on WebGPU in Node), refuse non-finite
 * values, and turn allocation failures into DeviceOutOfMemoryError.
 */
import type * as tf from '@tensorflow/tfjs';
import { NonFiniteLossError } from './errors';

/** Reads a 1-D tensor of loss parts into named numbers. */
export async function readLossParts<K extends string>(parts: tf.Tensor1D, names: readonly K[]): Promise<Record<K, number>> {
  const values = await parts.data();
  const out = {} as Record<K, number>;
  names.forEach((name, i) => {
    out[name] = values[i] ?? NaN;
  });
  return out;
}

/** Throws NonFiniteLossError when any part is NaN or infinite. */
export function assertFiniteLoss(phase: string, step: number, parts: Readonly<Record<string, number>>): void {
  if (Object.values(parts).some((v) => !Number.isFinite(v))) throw new NonFiniteLossError(phase, step, parts);
}

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return performance.now();
}

/** Optimiser state and position in the schedule, for resumable checkpoints. */
export interface TrainerState {
  readonly step: number;
  readonly optimizer: ReadonlyMap<string, tf.Tensor>;
}
