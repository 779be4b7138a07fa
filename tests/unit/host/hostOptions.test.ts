import { describe, expect, it } from 'vitest';
import { parseHostOptions } from '../../../src-main/host/hostOptions';

describe('browser host options', () => {
  it('defaults to a free port, opening the browser, auto backend', () => {
    expect(parseHostOptions([])).toEqual({ port: 0, open: true, backend: 'auto', help: false });
  });

  it('reads --port N, --port=N, --no-open and --backend', () => {
    expect(parseHostOptions(['--port', '8080', '--no-open', '--backend=cpu'])).toEqual({ port: 8080, open: false, backend: 'cpu', help: false });
    expect(parseHostOptions(['--port=9000'])).toMatchObject({ port: 9000 });
  });

  it('explains bad values', () => {
    expect(parseHostOptions(['--port', 'eighty'])).toEqual({ error: '--port needs a whole number from 0 to 65535, got "eighty".' });
    expect(parseHostOptions(['--port'])).toMatchObject({ error: expect.stringContaining('--port') });
    expect(parseHostOptions(['--backend', 'cuda'])).toMatchObject({ error: expect.stringContaining('auto, tensorflow, webgpu') });
    expect(parseHostOptions(['--verbose'])).toEqual({ error: 'Unknown option "--verbose".' });
  });
});
