/**
 * Which URLs the app's web contents may request. The workstation handles
 * patient data and works offline: nothing may reach the network, so only
 * the app's own origin and in-memory schemes are allowed. Pure, unit tested.
 */
import { isAppUrl } from './appUrl';

export interface RequestContext {
  /** True when the request comes from the DevTools front end, not from the app page. */
  readonly fromDevTools: boolean;
}

export type RequestDecision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/** Schemes that never leave the process: object URLs, inline data, the DevTools front end. */
const inMemorySchemes = new Set(['blob:', 'data:', 'devtools:']);

/** Decides whether one request may proceed. */
export function decideRequest(url: string, context: RequestContext): RequestDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allow: false, reason: 'not a URL' };
  }
  if (parsed.protocol === 'app:') {
    return isAppUrl(url) ? { allow: true } : { allow: false, reason: 'app: URL on another host' };
  }
  if (inMemorySchemes.has(parsed.protocol)) return { allow: true };
  // DevTools loads its own built-in pages from chrome-extension:// URLs; the
  // app page has no reason to.
  if (parsed.protocol === 'chrome-extension:' && context.fromDevTools) return { allow: true };
  return { allow: false, reason: `scheme ${parsed.protocol} is not allowed (offline app)` };
}

/** A URL shortened for a log line, without query or fragment (they may carry identifiers). */
export function describeBlockedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return `${parsed.protocol}…`;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 200);
  } catch {
    return url.slice(0, 80);
  }
}
