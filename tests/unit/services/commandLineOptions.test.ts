/**
 * The one option reader of the macl commands and the browser host: choices
 * and one-letter aliases on top of the kinds (tests/unit/cli/jobProgress.test.ts
 * covers those), and `macl inspect -h`/`npm run serve -- -h` as before.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src-main/services/commandLineOptions';
import { parseHostOptions } from '../../../src-main/host/hostOptions';

describe('command-line options', () => {
  const specs = { backend: { kind: 'choice' as const, choices: ['auto', 'cpu'] }, help: { kind: 'flag' as const, short: 'h' }, out: { kind: 'string' as const } };

  it('reads choices, aliases, inline values and positionals after --', () => {
    expect(parseArgs(['-h', 'a', '--backend=cpu', '--', '--out'], specs)).toEqual({ values: { help: true, backend: 'cpu' }, positionals: ['a', '--out'] });
    expect(parseArgs(['--out=', 'b'], specs)).toEqual({ values: { out: '' }, positionals: ['b'] });
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
