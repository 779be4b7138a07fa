import { describe, expect, it } from 'vitest';
import { DeviceOutOfMemoryError, isOutOfMemoryError, memorySuggestion, NonFiniteLossError, rethrowIfOutOfMemory } from '../../../src-main/ml/errors';

describe('typed training errors', () => {
  it('recognises out-of-memory errors of every backend', () => {
    expect(isOutOfMemoryError(new Error('OOM when allocating tensor with shape[16,32,512,512]'))).toBe(true);
    expect(isOutOfMemoryError(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isOutOfMemoryError(new RangeError('Invalid typed array length: 4294967296'))).toBe(true);
    expect(isOutOfMemoryError(new Error('GPU out of memory'))).toBe(true);
    expect(isOutOfMemoryError(new Error('Buffer size (5000000000) exceeds the max buffer size limit'))).toBe(true);
    expect(isOutOfMemoryError(new Error('conv2d: filter expects 3 input channels'))).toBe(false);
    expect(isOutOfMemoryError('plain string')).toBe(false);
  });

  it('rethrows OOM as DeviceOutOfMemoryError with a suggestion, and anything else unchanged', () => {
    const context = { what: 'A MACL pre-training step', batch: 16, size: 256 };
    const oom = new Error('OOM when allocating tensor');
    let caught: unknown;
    try {
      rethrowIfOutOfMemory(oom, context);
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBeInstanceOf(DeviceOutOfMemoryError);
    const error = caught as DeviceOutOfMemoryError;
    expect(error.message).toMatch(/A MACL pre-training step ran out of memory .* Try a smaller batch \(8 instead of 16\) or a smaller size \(128 instead of 256\)/);
    expect(error.cause).toBe(oom);
    const other = new TypeError('bad');
    expect(() => rethrowIfOutOfMemory(other, context)).toThrow(other);
    expect(memorySuggestion({ what: 'x', batch: 2, size: 64 })).toMatch(/smaller size \(64 instead of 64\) or a narrower network/);
  });

  it('NonFiniteLossError carries the step and the parts', () => {
    const error = new NonFiniteLossError('Fine-tuning', 7, { loss: NaN });
    expect(error.name).toBe('NonFiniteLossError');
    expect(error.step).toBe(7);
    expect(error.parts.loss).toBeNaN();
    expect(error.message).toMatch(/step 7 is not finite \(loss=NaN\); the update was not applied/);
  });
});
