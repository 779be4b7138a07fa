/**
 * What `macl bench-ml` reports beside its times. The per-kernel summary after each profiled step:
 * kernel times summed by name, longest first, kernels the backend could not
 * time counted as 0 ms (WebGPU without timestamp queries reports an error
 * object instead of a number). And a reference shape whose tensors cannot fit
 * in the backend's memory (WASM: 4 GiB) is not run, with the reason, instead
 * of aborting the backend.
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

describe('reference shapes that cannot fit', () => {
  it('are not run when their estimated tensor memory exceeds the backend limit, and say so', async () => {
    const { runMlBenchmarks } = await import('../../../src-main/eval/mlBenchmarks');
    const references = [{ kind: 'inference' as const, size: 32, batch: 8, width: 4 }];
    const fits = await runMlBenchmarks({ references, memoryLimitBytes: null });
    expect(fits[0]?.measured.batch).toBe(8);
    expect(fits[0]?.referenceNote).toBeNull();
    const tooBig = await runMlBenchmarks({ references, memoryLimitBytes: 1024 });
    expect(tooBig[0]?.measured.batch).toBe(4);
    expect(tooBig[0]?.reduced).toBe(true);
    expect(tooBig[0]?.referenceNote).toMatch(/^not run: it would need ~[\d.]+ GiB of tensors, over the cpu backend's 0 GiB$/);
  }, 60_000);
});
