/**
 * Decides whether a request to the browser host is allowed. Pure, so every
 * rule is unit tested without sockets.
 *
 * Rules: the Host header must name this loopback server (a DNS-rebinding page
 * would send its own host name); a request must carry the launch token, either
 * in the URL (first load, answered with a cookie and a redirect that drops the
 * token from the address bar) or as the session cookie; a request that states
 * an Origin must come from this server's own origin; WebSocket upgrades must
 * always state it.
 */
import { readCookie, sessionCookieName, tokensEqual } from './accessToken';

export interface GuardRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type GuardDecision =
  | { readonly kind: 'allow'; readonly path: string }
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookie: string }
  | { readonly kind: 'refuse'; readonly status: 400 | 403; readonly reason: string };

export interface GuardContext {
  readonly token: string;
  readonly port: number;
}

function header(request: GuardRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function allowedOrigins(port: number): readonly string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

function hostIsOurs(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

export function guardHttpRequest(request: GuardRequest, context: GuardContext, isUpgrade = false): GuardDecision {
  if (!hostIsOurs(header(request, 'host'), context.port)) {
    return { kind: 'refuse', status: 403, reason: 'Host header does not name this loopback server.' };
  }
  const origin = header(request, 'origin');
  if (isUpgrade && origin === undefined) {
    return { kind: 'refuse', status: 403, reason: 'WebSocket request without an Origin header.' };
  }
  if (origin !== undefined && !allowedOrigins(context.port).includes(origin)) {
    return { kind: 'refuse', status: 403, reason: `Requests from origin ${origin} are not accepted.` };
  }
  let url: URL;
  try {
    url = new URL(request.url, `http://127.0.0.1:${context.port}`);
  } catch {
    return { kind: 'refuse', status: 400, reason: 'Malformed request URL.' };
  }
  const cookieName = sessionCookieName(context.port);
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    if (!tokensEqual(context.token, queryToken)) {
      return { kind: 'refuse', status: 403, reason: 'Wrong access token.' };
    }
    if (isUpgrade) return { kind: 'allow', path: url.pathname };
    url.searchParams.delete('token');
    return {
      kind: 'redirect',
      location: url.pathname + url.search,
      setCookie: `${cookieName}=${context.token}; HttpOnly; SameSite=Strict; Path=/`,
    };
  }
  if (tokensEqual(context.token, readCookie(header(request, 'cookie'), cookieName))) {
    return { kind: 'allow', path: url.pathname };
  }
  return {
    kind: 'refuse',
    status: 403,
    reason: 'Missing access token. Open the URL that `npm run serve` printed (it ends with ?token=…).',
  };
}
