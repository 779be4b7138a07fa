import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeTypeFor, resolveStaticPath } from '../../../src-main/services/staticFiles';

const root = path.resolve('/srv/app/dist/renderer');

describe('static file resolution', () => {
  it('maps / to index.html and paths inside the build to files', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ file: path.join(root, 'index.html') });
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toEqual({ file: path.join(root, 'assets/index-abc.js') });
  });

  it('refuses traversal, encoded traversal, backslashes and NUL', () => {
    expect(resolveStaticPath(root, '/../../etc/passwd')).toHaveProperty('refused');
    expect(resolveStaticPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toHaveProperty('refused');
    expect(resolveStaticPath(root, '/..%5c..%5cetc')).toHaveProperty('refused');
    expect(resolveStaticPath(root, '/a%00b')).toHaveProperty('refused');
    expect(resolveStaticPath(root, '/%E0%A4%A')).toEqual({ refused: 'malformed percent-encoding' });
  });

  it('knows the types the renderer needs, wasm included', () => {
    expect(mimeTypeFor('x/codec.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('x/worker.mjs')).toContain('text/javascript');
    expect(mimeTypeFor('x/unknown.bin')).toBe('application/octet-stream');
  });
});
