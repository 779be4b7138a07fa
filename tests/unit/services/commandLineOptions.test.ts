/**
 * The one option reader of the macl commands and the browser host: choices
 * and one-letter aliases on top of the kinds (tests/unit/cli/jobProgress.test.ts
 * covers those), and `macl inspect -h`/`npm run serve -- -h` as before.
 */
import { describe, expect, it } from 'vitest';
import { onOffOption, parseArgs } from '../../../src-main/services/commandLineOptions';
import { parseHostOptions } from '../../../src-main/host/hostOptions';

describe('command-line options', () => {
  const specs = { backend: { kind: 'choice' as const, choices: ['auto', 'cpu'] }, help: { kind: 'flag' as const, short: 'h' }, out: { kind: 'string' as const } };

  it('reads choices, aliases, inline values and positionals after --', () => {
    expect(parseArgs(['-h', 'a', '--backend=cpu', '--', '--out'], specs)).toEqual({ values: { help: true, backend: 'cpu' }, positionals: ['a', '--out'] });
    expect(parseArgs(['--out=', 'b'], specs)).toEqual({ values: { out: '' }, positionals: ['b'] });
  });

  it('reads an on|off switch as a boolean, and as undefined when it is not given', () => {
    const switches = { mirror: { kind: 'choice' as const, choices: ['on', 'off'] }, fill: { kind: 'choice' as const, choices: ['on', 'off'] } };
    const parsed = parseArgs(['--mirror', 'off', '--fill=on'], switches);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(onOffOption(parsed.values, 'mirror')).toBe(false);
    expect(onOffOption(parsed.values, 'fill')).toBe(true);
    expect(onOffOption(parsed.values, 'extent')).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(parseArgs(['--backend', 'cuda'], specs)).toEqual({ error: '--backend must be one of auto, cpu, got "cuda".' });
    expect(parseArgs(['-x'], specs)).toEqual({ error: 'Unknown option "-x".' });
    expect(parseArgs(['--out'], specs)).toEqual({ error: '--out needs a value.' });
  });

  it('gives the browser host its options, help by -h too, and refuses stray words', () => {
    expect(parseHostOptions(['-h'])).toMatchObject({ help: true });
    expect(parseHostOptions(['--workspace', '/tmp/w'])).toEqual({ port: 0, open: true, backend: 'auto', help: false, workspace: '/tmp/w' });
    expect(parseHostOptions(['--workspace='])).toEqual({ error: '--workspace needs a folder path.' });
    expect(parseHostOptions(['--port', '70000'])).toEqual({ error: '--port needs a whole number from 0 to 65535, got "70000".' });
    expect(parseHostOptions(['8080'])).toEqual({ error: 'Unknown option "8080".' });
  });
});
