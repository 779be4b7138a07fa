/**
 * Whether a session's settings fit the memory of the trainer's backend, so
 * that settings too large are refused with a message instead of crashing the
 * trainer. Only backends with a fixed limit are checked (backendMemoryLimitBytes:
 * WASM's 4 GiB heap, where running past it aborts the module with a bare
 * "Aborted()" and takes the trainer down). GPU backends report their own
 * out-of-memory errors, which the trainer already turns into a message.
 *
 * The tensor memory of a fine-tuning step grows with batch x size^2 x width:
 * measured 1709 MiB of tensors at 128x128, batch 4, width 32 on WASM (tf.profile
 * peak, docs/benchmarks.md), about 854 bytes per unit; 900 leaves a margin.
 * The width is the session's width for a model from scratch; an init model
 * brings its own, so for those this is an estimate.
 */
import { backendMemoryLimitBytes, type BackendKind } from '../shared/contract/compute';
import type { SessionSettings } from '../shared/contract/sessionApi';

const bytesPerUnit = 900;
/** Share of the heap a step may plan to use (the model, optimiser state and the volume live there too). */
const usableShare = 0.75;

/** Estimated peak tensor bytes of one fine-tuning step with these settings. */
export function finetuneStepBytes(settings: Pick<SessionSettings, 'batch' | 'size' | 'width'>): number {
  return bytesPerUnit * settings.batch * settings.size * settings.size * settings.width;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const backendLabel = (backend: BackendKind | null): string => (backend === 'wasm' ? 'WASM' : (backend ?? 'unknown'));

/** A sentence for the user when the settings cannot fit the backend, else null. */
export function settingsMemoryProblem(backend: BackendKind | null, settings: SessionSettings): string | null {
  const limit = backendMemoryLimitBytes(backend);
  if (limit === null) return null;
  const needed = finetuneStepBytes(settings);
  if (needed <= usableShare * limit) return null;
  return (
    `These settings (size ${settings.size}, batch ${settings.batch}, width ${settings.width}) need about ${gib(needed)} of memory per training step, ` +
    `more than the ${backendLabel(backend)} backend's ${gib(limit)} allow. Lower the size, batch or width: memory grows with batch x size² x width.`
  );
}
