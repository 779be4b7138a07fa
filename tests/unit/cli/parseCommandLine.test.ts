import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parseCommandLine';

const specs = { image: { kind: 'string' as const }, help: { kind: 'flag' as const } };

afterEach(() => vi.restoreAllMocks());

describe('parseCommandLine', () => {
  it('gives the values, or ends with 2 and the usage on a mistake or a positional, 0 after printing it for --help', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const parsed = parseCommandLine(['--image', 'a.nii'], specs, 'USAGE');
    if ('exitCode' in parsed) throw new Error(`ended with ${parsed.exitCode}`);
    expect(parsed.values).toEqual({ image: 'a.nii' });
    // The command's own checks end the same way: the message, the usage, exit 2.
    expect(parsed.usageError('Give --truth.')).toBe(2);
    expect(errors).toHaveBeenLastCalledWith('Give --truth.\n\nUSAGE');
    expect(parseCommandLine(['--bogus'], specs, 'USAGE')).toEqual({ exitCode: 2 });
    expect(errors).toHaveBeenLastCalledWith('Unknown option "--bogus".\n\nUSAGE');
    expect(parseCommandLine(['extra'], specs, 'USAGE')).toEqual({ exitCode: 2 });
    expect(errors).toHaveBeenLastCalledWith('Unexpected argument "extra".\n\nUSAGE');
    expect(parseCommandLine(['--help', 'extra'], specs, 'USAGE')).toEqual({ exitCode: 0 });
    expect(logs).toHaveBeenCalledWith('USAGE');
  });
});
