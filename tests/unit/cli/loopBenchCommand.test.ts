/**
 * `macl bench-loop --image PATH --truth FILE`: a real volume needs its truth
 * (and the truth its volume); a missing one is an argument error with the
 * usage, before any trainer starts.
 */
import { describe, expect, it, vi } from 'vitest';
import { runLoopBenchCommand } from '../../../src-main/cli/loopBenchCommand';

describe('macl bench-loop on a real volume', () => {
  it('refuses --image without --truth and --truth without --image with exit 2 and the usage', async () => {
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    try {
      expect(await runLoopBenchCommand(['--image', '/data/t1.nii.gz'])).toBe(2);
      expect(await runLoopBenchCommand(['--truth', '/data/mask.nii.gz'])).toBe(2);
    } finally {
      err.mockRestore();
    }
    expect(errors).toHaveLength(2);
    for (const message of errors) {
      expect(message).toMatch(/Give --image and --truth together/);
      expect(message).toMatch(/Usage: macl bench-loop .*\[--image PATH --truth FILE\]/s);
    }
  });
});
