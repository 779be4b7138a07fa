/**
 * The split of a profiled step's kernel time that `macl bench-ml` reports for
 * the WASM backend: wrapper scopes are not counted twice, XNNPACK kernels on
 * the thread pool are told from the single-threaded ones (a matmul by its
 * operands' layout), and the CPU-time kernel clock times real kernels and is
 * taken off again.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPoolMatmul, kernelShare, withCpuKernelClock } from '../../../src-main/eval/kernelShare';
import { useCpu, useWasm } from '../ml/helpers';

const entry = (name: string, ms: number, inputShapes: number[][] = [], outputShapes: number[][] = []) => ({ name, kernelTimeMs: ms, inputShapes, outputShapes });

describe('kernelShare', () => {
  beforeAll(useWasm, 60_000);
  afterAll(useCpu);

  it('leaves out wrapper scopes and counts the thread-pool kernels on wasm', () => {
    const share = kernelShare(
      [
        entry('unnamed scope', 50),
        entry('Conv2D', 30),
        entry('Transpose', 10),
        entry('BatchMatMul', 5, [[1, 4096, 32], [1, 32, 64]], [[1, 4096, 64]]),
        entry('BatchMatMul', 7, [[1, 64, 4096], [1, 4096, 32]], [[1, 32, 64]]), // transposed a: the scalar loop
        entry('Add', 2),
        entry('Reverse', { error: 'no timer' } as unknown as number),
      ],
      'wasm',
    );
    expect(share).toEqual({ kernelMs: 54, poolMs: 37 });
    expect(kernelShare([entry('Conv2D', 3)], 'cpu').poolMs).toBeNull();
  });

  it('tells a plain matmul from a transposed or batched one by its shapes', () => {
    expect(isPoolMatmul(entry('BatchMatMul', 1, [[1, 9, 9], [1, 9, 100]], [[1, 9, 100]]))).toBe(true);
    expect(isPoolMatmul(entry('BatchMatMul', 1, [[1, 100, 9], [1, 100, 4]], [[1, 9, 4]]))).toBe(false);
    expect(isPoolMatmul(entry('BatchMatMul', 1, [[2, 9, 9], [2, 9, 100]], [[2, 9, 100]]))).toBe(false);
  });

  it('times kernels by CPU time while asked to, and restores the wall clock', async () => {
    const backend = tf.backend() as unknown as { time: unknown };
    const own = backend.time;
    const x = tf.randomNormal([4, 64, 64, 16]) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D;
    const profile = await withCpuKernelClock(() => tf.profile(() => tf.conv2d(x, filter, 1, 'same')));
    const conv = profile.kernels.find((k) => k.name === 'Conv2D');
    expect(typeof conv?.kernelTimeMs).toBe('number');
    expect(conv?.kernelTimeMs as number).toBeGreaterThan(0);
    expect(backend.time).toBe(own);
    tf.dispose([x, filter, profile.result]);
  });
});
