/**
 * Typed errors the trainer process acts on. A non-finite loss means "stop and
 * keep the last good checkpoint"; an out-of-memory error means "suggest a
 * smaller batch or size".
 */

/** Which step produced a non-finite loss, and every loss part as read back. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  /** The step index (0-based) whose loss was not finite; its update was not applied. */
  readonly step: number;
  /** The loss parts read back from the device, e.g. { total: NaN, global: 4.9, ... }. */
  readonly parts: Readonly<Record<string, number>>;

  constructor(phase: string, step: number, parts: Readonly<Record<string, number>>) {
    const shown = Object.entries(parts).map(([k, v]) => `${k}=${v}`).join(', ');
    super(`${phase}: the loss at step ${step} is not finite (${shown}); the update was not applied. Keep the last good checkpoint and lower the learning rate or check the input data.`);
    this.step = step;
    this.parts = parts;
  }
}

/** The device ran out of memory; `suggestion` says what to shrink. */
export class DeviceOutOfMemoryError extends Error {
  override readonly name = 'DeviceOutOfMemoryError';
  readonly suggestion: string;
  override readonly cause: unknown;

  constructor(what: string, suggestion: string, cause: unknown) {
    super(`${what} ran out of memory on the compute device (${describeError(cause)}). ${suggestion}`);
    this.suggestion = suggestion;
    this.cause = cause;
  }
}

/** What the step was running with, to phrase a useful suggestion. */
export interface MemoryContext {
  readonly what: string;
  readonly batch: number;
  readonly size: number;
}

/**
 * Messages that backends use for allocation failures: TensorFlow native
 * ("OOM when allocating tensor"), V8 on the CPU backend ("Array buffer
 * allocation failed", "Invalid typed array length"), WebGPU/Dawn ("out of
 * memory", buffer sizes over the device limits).
 */
export const outOfMemoryPatterns: readonly RegExp[] = [
  /\bOOM\b/,
  /out of memory/i,
  /array buffer allocation failed/i,
  /invalid typed array length/i,
  /invalid array buffer length/i,
  /not enough memory/i,
  /failed to allocate/i,
  /allocation failed/i,
  /exceeds? (the )?(max|limit)/i,
  /maxBufferSize|maxStorageBufferBindingSize/,
];

/** A readable one-line form of anything thrown. */
export function describeError(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return String(thrown);
}

/** True when `thrown` looks like an allocation failure from any backend. */
export function isOutOfMemoryError(thrown: unknown): boolean {
  if (thrown instanceof DeviceOutOfMemoryError) return true;
  if (thrown instanceof RangeError && /allocation|length/i.test(thrown.message)) return true;
  const text = describeError(thrown);
  return outOfMemoryPatterns.some((pattern) => pattern.test(text));
}

/** The suggestion attached to an out-of-memory error: halve the batch first (BN needs >= 2), then the size. */
export function memorySuggestion(context: MemoryContext): string {
  const smallerBatch = Math.max(2, Math.floor(context.batch / 2));
  const smallerSize = Math.max(64, Math.floor(context.size / 2 / 64) * 64);
  if (context.batch > 2) return `Try a smaller batch (${smallerBatch} instead of ${context.batch}) or a smaller size (${smallerSize} instead of ${context.size}).`;
  return `Try a smaller size (${smallerSize} instead of ${context.size}) or a narrower network (width).`;
}

/** Rethrows out-of-memory errors as DeviceOutOfMemoryError with a suggestion; anything else unchanged. */
export function rethrowIfOutOfMemory(thrown: unknown, context: MemoryContext): never {
  if (thrown instanceof DeviceOutOfMemoryError || !isOutOfMemoryError(thrown)) throw thrown;
  throw new DeviceOutOfMemoryError(context.what, memorySuggestion(context), thrown);
}
