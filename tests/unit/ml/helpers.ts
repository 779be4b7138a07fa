/** Shared helpers of the ml tests (CPU backend, tfjs test mode). */
import * as tf from '@tensorflow/tfjs';
import { installTfjsPatches } from '../../../src-main/ml/tfjsPatches/installTfjsPatches';

/** Test mode: tfjs checks every kernel for leaked buffers and skips its "install tfjs-node" banner. */
export async function useCpu(): Promise<void> {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
  // As the trainer runs tfjs once a backend is active (trainer/backends/backendTuning.ts).
  installTfjsPatches();
}

/** Largest |a - b| relative to the largest |b| (so tiny entries do not dominate). */
export async function relativeError(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [diff, scale] = await Promise.all([maxAbs(() => a.sub(b)), maxAbs(b)]);
  return diff / Math.max(scale, 1e-12);
}

/** Reads a scalar. */
export async function scalar(t: tf.Tensor): Promise<number> {
  return (await t.data())[0] ?? NaN;
}

/** Largest absolute value of a tensor (or of one computed by `t`, whose temporaries are freed). */
export async function maxAbs(t: tf.Tensor | (() => tf.Tensor)): Promise<number> {
  const m = tf.tidy(() => (typeof t === 'function' ? t() : t).abs().max());
  const v = await scalar(m);
  m.dispose();
  return v;
}

/** The WASM backend (the trainer's processor backend), for tests that train for real. */
export async function useWasm(): Promise<void> {
  const { activateBackend } = await import('../../../src-main/trainer/backends/loadBackend');
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(`the WASM backend did not load: ${load.reason}`);
}
