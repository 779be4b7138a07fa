/**
 * Default settings of an interactive session per kind of backend
 * (docs/interactive-loop.md). The processor set (wasm or cpu) keeps a burst
 * within about half a minute on one core of a laptop with the WASM backend
 * (64 px slices, width 16: the smallest width that reached the phantom's
 * Dice bar, docs/eval-protocol.md; width 8 did not); the GPU set is the
 * reference recipe's size and width with a burst long enough to matter, and
 * a quick answer after 250 ms of training so the first refined slice comes
 * within a second of the edit (a fine-tuning step takes a few hundred ms
 * there; docs/benchmarks.md).
 */
import type { BackendKind, TrainerStatus } from '../shared/contract/compute';
import type { PartialSessionSettings, SessionSettings } from '../shared/contract/sessionApi';

export const cpuSessionSettings: SessionSettings = { burstSteps: 40, size: 64, batch: 4, width: 16, lr: 5e-3, inferBatch: 8, versionEverySteps: 5, quickForest: true, keepConnected: true };
export const gpuSessionSettings: SessionSettings = { burstSteps: 40, size: 256, batch: 8, width: 32, lr: 5e-3, inferBatch: 16, quickAnswerMs: 250, versionEverySteps: 10, keepConnected: true };

/** Whether a backend computes on a GPU: webgpu on hardware, or native TensorFlow that reports a GPU device. */
export function isGpuBackend(backend: BackendKind | null, device: string): boolean {
  if (backend === 'webgpu') return true;
  if (backend === 'tensorflow') return /gpu|cuda|nvidia/i.test(device);
  return false;
}

/** The trainer's chosen backend and device, or nulls before its first probe. */
export function chosenBackend(status: TrainerStatus): { backend: BackendKind | null; device: string } {
  const chosen = status.report?.chosen;
  return chosen === undefined ? { backend: null, device: '' } : { backend: chosen.backend, device: chosen.device };
}

/** The defaults for this backend, overridden by what the caller gave. */
export function resolveSessionSettings(status: TrainerStatus, given: PartialSessionSettings = {}): SessionSettings {
  const { backend, device } = chosenBackend(status);
  const base = isGpuBackend(backend, device) ? gpuSessionSettings : cpuSessionSettings;
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as PartialSessionSettings;
  return { ...base, ...defined };
}
