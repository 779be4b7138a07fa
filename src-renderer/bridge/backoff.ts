/**
 * Reconnection delays. Exponential so a host that is down is not hammered,
 * capped so the app comes back within seconds once the host is up again.
 * No jitter: there is exactly one client per loopback host, nothing to spread.
 */

/** Tuning of the reconnection backoff. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  readonly initialMs: number;
  /** Growth per failed attempt. */
  readonly factor: number;
  /** Ceiling of the delay, in ms. */
  readonly maxMs: number;
}

/** The defaults used by the browser host connection. */
export const defaultBackoff: BackoffOptions = { initialMs: 500, factor: 2, maxMs: 10_000 };

/** Delay before retry number `attempt` (0 for the first retry after a loss). */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff): number {
  const exponent = Math.max(0, Math.floor(attempt));
  return Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
}
