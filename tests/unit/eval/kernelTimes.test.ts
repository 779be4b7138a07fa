/**
 * The per-kernel summary `macl bench-ml` prints after each profiled step:
 * kernel times summed by name, longest first, kernels the backend could not
 * time counted as 0 ms (WebGPU without timestamp queries reports an error
 * object instead of a number).
 */
import { describe, expect, it } from 'vitest';
import { kernelTimes } from '../../../src-main/eval/mlBenchmarks';

describe('kernelTimes', () => {
  it('sums by kernel name, longest first, and keeps the call counts', () => {
    const summary = kernelTimes([
      { name: 'Conv2D', kernelTimeMs: 3 },
      { name: 'Sum', kernelTimeMs: 10 },
      { name: 'Conv2D', kernelTimeMs: 4 },
      { name: 'Add', kernelTimeMs: { error: 'timestamp queries unsupported' } },
      { name: 'Add', kernelTimeMs: Number.NaN },
    ]);
    expect(summary).toEqual([
      { name: 'Sum', ms: 10, calls: 1 },
      { name: 'Conv2D', ms: 7, calls: 2 },
      { name: 'Add', ms: 0, calls: 2 },
    ]);
  });

  it('keeps only the top entries', () => {
    const kernels = Array.from({ length: 20 }, (_, i) => ({ name: `K${i}`, kernelTimeMs: i }));
    const summary = kernelTimes(kernels, 3);
    expect(summary.map((k) => k.name)).toEqual(['K19', 'K18', 'K17']);
  });
});
