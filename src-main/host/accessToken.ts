/**
 * The per-launch secret of the browser host. The printed URL carries it once;
 * the host then swaps it for an HttpOnly cookie so every later request (assets,
 * the WebSocket) is authenticated without the token living in page script.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokensEqual(expected: string, candidate: string | undefined | null): boolean {
  if (candidate === undefined || candidate === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Cookies are shared across ports of one host name, so the name carries the
 * port: two hosts on different ports never overwrite each other's session.
 */
export function sessionCookieName(port: number): string {
  return `macl_session_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
