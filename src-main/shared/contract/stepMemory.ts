/**
 * Whether a training step fits the memory of a backend, so that settings too
 * large are refused with a message instead of crashing the trainer. Only
 * backends with a fixed limit are checked (backendMemoryLimitBytes: WASM's
 * 4 GiB heap, where running past it aborts the module with a bare "Aborted()"
 * and takes the trainer down; a pre-training job resumed after that restart
 * would abort it again). GPU backends report their own out-of-memory errors,
 * which the trainer turns into a message.
 *
 * The tensor memory of a U-Net training step grows with batch x size^2 x
 * width. Measured on WASM (tf.profile peak, docs/benchmarks.md) at 128x128,
 * batch 4: fine-tuning 1709 MiB at width 32 (about 854 bytes per unit), MACL
 * pre-training 1687 MiB at width 32 and 766 MiB at width 16 (843 and 766);
 * 900 leaves a margin for both.
 */
import { backendMemoryLimitBytes } from './compute';

const bytesPerUnit = 900;
/** Share of the heap a step may plan to use (the model, optimiser state and the data live there too). */
const usableShare = 0.75;

/** What the estimate needs of a training setting. */
export interface StepShape {
  readonly batch: number;
  readonly size: number;
  readonly width: number;
}

/** Estimated peak tensor bytes of one fine-tuning or pre-training step. */
export function trainingStepBytes(shape: StepShape): number {
  return bytesPerUnit * shape.batch * shape.size * shape.size * shape.width;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const backendLabel = (backend: string | null): string => (backend === 'wasm' ? 'WASM' : (backend ?? 'unknown'));

/** A sentence for the user when `what` (e.g. "These settings") cannot fit the backend, else null. */
export function stepMemoryProblem(backend: string | null, shape: StepShape, what: string): string | null {
  const limit = backendMemoryLimitBytes(backend);
  if (limit === null) return null;
  const needed = trainingStepBytes(shape);
  if (needed <= usableShare * limit) return null;
  return (
    `${what} (size ${shape.size}, batch ${shape.batch}, width ${shape.width}) need about ${gib(needed)} of memory per training step, ` +
    `more than the ${backendLabel(backend)} backend's ${gib(limit)} allow. Lower the size, batch or width: memory grows with batch x size² x width.`
  );
}
