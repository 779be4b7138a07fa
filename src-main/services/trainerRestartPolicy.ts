/**
 * When to restart a trainer that died: after a growing delay (so a trainer
 * that dies at start does not spin), and at most `maxRestarts` times within a
 * sliding window (so a persistent fault, e.g. a GPU driver that crashes the
 * process on every start, ends in a clear 'failed' rather than a loop).
 */

export interface RestartPolicyOptions {
  /** Delay before the 1st, 2nd, ... restart in a window; the last one repeats. */
  readonly delaysMs?: readonly number[];
  readonly maxRestarts?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly attempt: number; readonly maxRestarts: number }
  | { readonly restart: false; readonly crashes: number; readonly windowMs: number };

export interface RestartPolicy {
  /** Records a crash now and says whether (and when) to restart. */
  recordCrash(): RestartDecision;
  /** Forgets past crashes (the user restarted or changed the backend). */
  reset(): void;
}

export const defaultRestartDelaysMs: readonly number[] = [500, 1000, 2000, 4000, 8000];

export function createRestartPolicy(options: RestartPolicyOptions = {}): RestartPolicy {
  const delays = options.delaysMs !== undefined && options.delaysMs.length > 0 ? options.delaysMs : defaultRestartDelaysMs;
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let crashes: number[] = [];
  return {
    recordCrash() {
      const at = now();
      crashes = [...crashes.filter((t) => at - t < windowMs), at];
      if (crashes.length > maxRestarts) return { restart: false, crashes: crashes.length, windowMs };
      const delayMs = delays[Math.min(crashes.length - 1, delays.length - 1)] ?? 0;
      return { restart: true, delayMs, attempt: crashes.length, maxRestarts };
    },
    reset() {
      crashes = [];
    },
  };
}
