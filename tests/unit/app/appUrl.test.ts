import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appStartUrl, isAppUrl, resolveAppUrl } from '../../../src-main/app/appUrl';

const root = path.resolve('/opt/macl/resources/app.asar/dist/renderer');
const inRoot = (relative: string): string => path.join(root, relative);

describe('resolveAppUrl', () => {
  it('maps app URLs to files of the renderer build', () => {
    expect(resolveAppUrl(appStartUrl, root)).toEqual({ file: inRoot('index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppUrl('app://macl/', root)).toMatchObject({ file: inRoot('index.html') });
    expect(resolveAppUrl('app://macl', root)).toMatchObject({ file: inRoot('index.html') });
    expect(resolveAppUrl('app://macl/assets/index-abc.js', root)).toEqual({
      file: inRoot('assets/index-abc.js'),
      mimeType: 'text/javascript; charset=utf-8',
    });
  });

  it('gives the MIME types the renderer needs', () => {
    expect(resolveAppUrl('app://macl/assets/codec.wasm', root)).toMatchObject({ mimeType: 'application/wasm' });
    expect(resolveAppUrl('app://macl/assets/worker.mjs', root)).toMatchObject({ mimeType: expect.stringMatching(/^text\/javascript/) });
    expect(resolveAppUrl('app://macl/assets/style.css', root)).toMatchObject({ mimeType: expect.stringMatching(/^text\/css/) });
    expect(resolveAppUrl('app://macl/assets/blob.bin', root)).toMatchObject({ mimeType: 'application/octet-stream' });
  });

  it('ignores query strings and fragments', () => {
    expect(resolveAppUrl('app://macl/assets/a.js?v=3#x', root)).toMatchObject({ file: inRoot('assets/a.js') });
    expect(resolveAppUrl('app://macl/index.html?../../etc/passwd', root)).toMatchObject({ file: inRoot('index.html') });
  });

  it('decodes ordinary percent-encoding', () => {
    expect(resolveAppUrl('app://macl/assets/a%20b.js', root)).toMatchObject({ file: inRoot('assets/a b.js') });
  });

  it.each([
    'app://macl/../../etc/passwd',
    'app://macl/%2e%2e/%2e%2e/etc/passwd',
    'app://macl/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
    'app://macl/.%2e/secret',
  ])('never leaves the build folder for %s', (url) => {
    const resolved = resolveAppUrl(url, root);
    if ('file' in resolved) expect(resolved.file.startsWith(root + path.sep)).toBe(true);
  });

  it.each([
    'app://macl/..%2f..%2fetc/passwd',
    'app://macl/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://macl/assets%5c..%5c..%5cwindows',
    'app://macl/a%00.js',
    'app://macl/a\\..\\..\\b',
  ])('refuses encoded separators and forbidden characters: %s', (url) => {
    expect(resolveAppUrl(url, root)).toMatchObject({ status: 403 });
  });

  it.each([
    ['app://evil/index.html', 403],
    ['app://macl.evil/index.html', 403],
    ['app://macl:1234/index.html', 403],
    ['app://x@macl/index.html', 403],
    ['https://macl/index.html', 403],
    ['file:///etc/passwd', 403],
    ['not a url', 400],
  ] as const)('refuses %s', (url, status) => {
    expect(resolveAppUrl(url, root)).toMatchObject({ status });
  });

  it('refuses malformed percent-encoding', () => {
    expect(resolveAppUrl('app://macl/%E0%A4%A', root)).toMatchObject({ status: 403 });
  });
});

describe('isAppUrl', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl('app://macl/index.html')).toBe(true);
    expect(isAppUrl('app://MACL/x')).toBe(true);
    expect(isAppUrl('app://macl2/x')).toBe(false);
    expect(isAppUrl('http://macl/x')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});
