/**
 * Turning what a job throws into what the user should read: allocation
 * failures anywhere in a run (not only inside a training step) become
 * DeviceOutOfMemoryError with the suggestion from ml/errors.ts.
 */
import { DeviceOutOfMemoryError, isOutOfMemoryError, memorySuggestion, type MemoryContext } from '../../ml/errors';

/** `thrown` as a DeviceOutOfMemoryError when it is an allocation failure, else unchanged. */
export function asOutOfMemory(thrown: unknown, context: MemoryContext): unknown {
  if (thrown instanceof DeviceOutOfMemoryError || !isOutOfMemoryError(thrown)) return thrown;
  return new DeviceOutOfMemoryError(context.what, memorySuggestion(context), thrown);
}
