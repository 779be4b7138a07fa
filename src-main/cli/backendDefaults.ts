/**
 * The settings `macl eval`, `eval-suite`, `finetune` and `infer` use where the
 * user gives none, chosen per backend as the interactive session chooses them
 * (session/sessionDefaults.ts: a small, fast set on the processor backends, the
 * reference recipe's size and width on a GPU), and the memory check every one
 * of them runs before it starts (shared/contract/stepMemory.ts): on WASM a
 * step past the 4 GiB heap aborts the module with a bare "Aborted()", so
 * settings that cannot fit are refused with a message naming what to lower.
 */
import { cpuSessionSettings, gpuSessionSettings, isGpuBackend } from '../session/sessionDefaults';
import type { BackendKind } from '../shared/contract/compute';
import { stepMemoryProblem, type StepShape } from '../shared/contract/stepMemory';
import type { JobBackend } from '../trainer/jobs/jobContext';

/** The training settings the commands share. */
export interface TrainingDefaults {
  readonly size: number;
  readonly batch: number;
  readonly width: number;
  readonly lr: number;
  /** Slices per inference pass. */
  readonly inferBatch: number;
}

/** Whether the backend computes on a GPU (the session's rule). */
export function onGpu(backend: JobBackend): boolean {
  return isGpuBackend(backend.kind as BackendKind, backend.device);
}

/** The session's defaults for this backend. */
export function trainingDefaults(backend: JobBackend): TrainingDefaults {
  const set = onGpu(backend) ? gpuSessionSettings : cpuSessionSettings;
  return { size: set.size, batch: set.batch, width: set.width, lr: set.lr, inferBatch: set.inferBatch };
}

/**
 * Throws when one training step of `shape` cannot fit the backend's memory.
 * `what` opens the message ("macl eval with these settings").
 */
export function checkTrainingMemory(backend: JobBackend, shape: StepShape, what: string): void {
  const problem = stepMemoryProblem(backend.kind, shape, what);
  if (problem !== null) throw new Error(`${problem} (--size, --batch, --width)`);
}

/**
 * The largest inference batch, at most `wanted`, whose forward pass fits the
 * backend's memory. A forward pass holds less than a training step of the
 * same shape (no gradients), so the training estimate bounds it from above.
 * Given by the user (`given`), a batch that does not fit is refused instead.
 */
export function fittingInferBatch(backend: JobBackend, shape: Omit<StepShape, 'batch'>, wanted: number, given: boolean, what: string): number {
  let batch = wanted;
  while (batch > 1 && stepMemoryProblem(backend.kind, { ...shape, batch }, what) !== null) {
    if (given) break;
    batch = Math.floor(batch / 2);
  }
  const problem = stepMemoryProblem(backend.kind, { ...shape, batch }, what);
  if (problem !== null) throw new Error(`${problem.replace('per training step', 'per inference pass')} (--batch)`);
  return batch;
}

/** A note for the user listing the defaults that were filled in, or null when every setting was given. */
export function defaultsNote(backend: JobBackend, filled: Readonly<Record<string, number>>): string | null {
  const entries = Object.entries(filled);
  if (entries.length === 0) return null;
  const where = onGpu(backend) ? 'a GPU' : `the ${backend.kind} backend (no GPU)`;
  return `On ${where}, defaults as in the interactive session: ${entries.map(([name, value]) => `${name} ${value}`).join(', ')}.`;
}

/** The settings of one `macl eval` run. */
export interface EvalSettings {
  readonly size: number;
  readonly batch: number;
  readonly width: number;
  readonly lr: number;
}

/**
 * `macl eval`'s settings: what was given, else the backend's defaults, with
 * the size no larger than the image's larger side rounded up to 16 (nothing
 * is gained by upsampling) and the width of the init model when there is one.
 * Throws when the result cannot fit the backend's memory.
 */
export function resolveEvalSettings(backend: JobBackend, given: Partial<EvalSettings>, imageSide: number, initWidth: number | undefined): { settings: EvalSettings; filled: Record<string, number> } {
  const defaults = trainingDefaults(backend);
  const filled: Record<string, number> = {};
  const pick = (name: keyof EvalSettings, fallback: number): number => {
    const value = given[name];
    if (value !== undefined) return value;
    filled[name] = fallback;
    return fallback;
  };
  const settings: EvalSettings = {
    size: pick('size', Math.min(defaults.size, Math.ceil(imageSide / 16) * 16)),
    batch: pick('batch', defaults.batch),
    width: pick('width', initWidth ?? defaults.width),
    lr: pick('lr', defaults.lr),
  };
  checkTrainingMemory(backend, settings, 'macl eval with these settings');
  return { settings, filled };
}
