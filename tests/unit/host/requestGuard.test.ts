import { describe, expect, it } from 'vitest';
import { guardHttpRequest } from '../../../src-main/host/requestGuard';
import { sessionCookieName } from '../../../src-main/host/accessToken';

const context = { token: 'secret-token-123', port: 4321 };
const host = { host: '127.0.0.1:4321' };
const cookie = `${sessionCookieName(4321)}=secret-token-123`;

describe('browser host request guard', () => {
  it('swaps a valid token in the URL for an HttpOnly cookie and drops it from the address bar', () => {
    const decision = guardHttpRequest({ url: '/?token=secret-token-123', headers: host }, context);
    expect(decision).toEqual({
      kind: 'redirect',
      location: '/',
      setCookie: 'macl_session_4321=secret-token-123; HttpOnly; SameSite=Strict; Path=/',
    });
  });

  it('serves requests that carry the session cookie', () => {
    expect(guardHttpRequest({ url: '/assets/app.js', headers: { ...host, cookie: `other=1; ${cookie}` } }, context)).toEqual({
      kind: 'allow',
      path: '/assets/app.js',
    });
  });

  it('refuses a request without the token', () => {
    const decision = guardHttpRequest({ url: '/', headers: host }, context);
    expect(decision).toMatchObject({ kind: 'refuse', status: 403 });
  });

  it('refuses a wrong token and a cookie of another port', () => {
    expect(guardHttpRequest({ url: '/?token=guess', headers: host }, context)).toMatchObject({ kind: 'refuse', status: 403 });
    expect(
      guardHttpRequest({ url: '/', headers: { ...host, cookie: `${sessionCookieName(9999)}=secret-token-123` } }, context),
    ).toMatchObject({ kind: 'refuse' });
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', () => {
    expect(guardHttpRequest({ url: '/', headers: { host: 'evil.example:4321', cookie } }, context)).toMatchObject({ kind: 'refuse', status: 403 });
  });

  it('refuses requests from another origin', () => {
    const decision = guardHttpRequest({ url: '/rpc', headers: { ...host, cookie, origin: 'http://127.0.0.1:5555' } }, context, true);
    expect(decision).toMatchObject({ kind: 'refuse', reason: expect.stringContaining('http://127.0.0.1:5555') });
  });

  it('accepts a WebSocket upgrade only with the cookie and our own origin', () => {
    expect(guardHttpRequest({ url: '/rpc', headers: { ...host, cookie, origin: 'http://127.0.0.1:4321' } }, context, true)).toEqual({
      kind: 'allow',
      path: '/rpc',
    });
    expect(guardHttpRequest({ url: '/rpc', headers: { ...host, cookie } }, context, true)).toMatchObject({ kind: 'refuse' });
    expect(guardHttpRequest({ url: '/rpc', headers: { ...host, origin: 'http://127.0.0.1:4321' } }, context, true)).toMatchObject({
      kind: 'refuse',
    });
  });
});
