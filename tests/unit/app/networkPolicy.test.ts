import { describe, expect, it } from 'vitest';
import { decideRequest, describeBlockedUrl } from '../../../src-main/app/networkPolicy';

const page = { fromDevTools: false };
const devTools = { fromDevTools: true };

describe('decideRequest', () => {
  it.each(['app://macl/index.html', 'app://macl/assets/a.wasm', 'blob:app://macl/5c1e', 'data:image/png;base64,AAAA', 'devtools://devtools/bundled/x.js'])(
    'allows %s',
    (url) => expect(decideRequest(url, page)).toEqual({ allow: true }),
  );

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'ws://localhost/rpc',
    'wss://example.com/',
    'file:///etc/passwd',
    'ftp://example.com/',
    'app://other/index.html',
    'chrome-extension://abc/x.js',
    'not a url',
  ])('blocks %s from the page', (url) => {
    expect(decideRequest(url, page).allow).toBe(false);
  });

  it('lets only DevTools load chrome-extension: pages, and DevTools still cannot reach the network', () => {
    expect(decideRequest('chrome-extension://abc/x.js', devTools).allow).toBe(true);
    expect(decideRequest('https://chrome-devtools-frontend.appspot.com/x', devTools).allow).toBe(false);
  });
});

describe('describeBlockedUrl', () => {
  it('drops query strings, fragments and inline data', () => {
    expect(describeBlockedUrl('https://example.com/a?patient=123#x')).toBe('https://example.com/a');
    expect(describeBlockedUrl('data:text/plain,secret')).toBe('data:…');
  });
});
