/**
 * What every job gets from whoever runs it (the CLI in-process, or the
 * trainer process serving a protocol stream): where to send events, a
 * cancellation signal, the active backend for the model record, and test
 * seams to wrap the trainers (fault injection).
 */
import type { CancelLike } from '../../shared/cancellation';
import { isCancelled } from '../../shared/cancellation';
import type { Finetuner } from '../../ml/finetuner';
import type { Pretrainer } from '../../ml/pretrainer';

/** The compute backend a job runs on, as recorded with the models it saves. */
export interface JobBackend {
  /** The backend kind (tensorflow, webgpu, webgpu-swiftshader, wasm, cpu). */
  readonly kind: string;
  /** The device it reported (e.g. an adapter name). */
  readonly device: string;
}

export interface JobContext<E> {
  readonly emit: (event: E) => void;
  /** Stops the job between steps (AbortSignal in the CLI, CancelSignal in a stream). */
  readonly signal?: CancelLike;
  readonly backend: JobBackend;
  /** Test seams: wrap the real trainers, e.g. to feed a non-finite batch or throw an allocation failure. */
  readonly wrapPretrainer?: (trainer: Pretrainer) => Pretrainer;
  readonly wrapFinetuner?: (trainer: Finetuner) => Finetuner;
}

/**
 * Lets the event loop run. On the CPU backend a training step resolves its
 * `await data()` as a microtask, so a loop of steps never reaches the
 * macrotask queue: a cancel message from the parent process (or a Ctrl-C)
 * would not be handled until the run ends. Called between steps.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** True once the job was asked to stop. */
export function stopRequested(signal: CancelLike | undefined): boolean {
  return isCancelled(signal);
}

/** Slices/s and the time left, from the recent steps (a window, so a slow first step is soon forgotten). */
export interface RateMeter {
  /** Records one step of `slices` slices that took `ms`; returns slices/s and the ETA for `stepsLeft` more steps. */
  add(slices: number, ms: number, stepsLeft: number): { slicesPerSecond: number; etaSeconds: number | null };
}

export function createRateMeter(window = 20): RateMeter {
  const recent: Array<{ slices: number; ms: number }> = [];
  return {
    add(slices, ms, stepsLeft) {
      recent.push({ slices, ms });
      if (recent.length > window) recent.shift();
      const totalMs = recent.reduce((sum, r) => sum + r.ms, 0);
      const totalSlices = recent.reduce((sum, r) => sum + r.slices, 0);
      if (!(totalMs > 0)) return { slicesPerSecond: 0, etaSeconds: null };
      return { slicesPerSecond: (1000 * totalSlices) / totalMs, etaSeconds: (stepsLeft * totalMs) / recent.length / 1000 };
    },
  };
}

/** What a stopped run kept, for the message. */
export interface KeptCheckpoint {
  readonly name: string;
  readonly id: string;
  readonly version: number;
  readonly steps: number;
}

/**
 * The error a run stops with (a non-finite loss, out of device memory, ...),
 * its message extended by which checkpoint was kept. Name and cause are the
 * original's, so callers can still tell the kinds apart.
 */
export function stoppedRunError(thrown: unknown, kept: KeptCheckpoint | null): Error {
  const original = thrown instanceof Error ? thrown : new Error(String(thrown));
  const note = kept === null
    ? 'No checkpoint of this run was saved.'
    : `The last good checkpoint is kept: "${kept.name}" version ${kept.version} (${kept.id}, after ${kept.steps} steps).`;
  const error = new Error(`${original.message} ${note}`, { cause: original });
  error.name = original.name;
  return error;
}
