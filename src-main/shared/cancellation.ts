/**
 * Long jobs (import, archive scans) accept either the contract's
 * CancelSignal (RPC streams) or a standard AbortSignal (CLI, tests).
 */
import type { CancelSignal } from './rpc/cancelSignal';

/** An AbortSignal, described by the one member read here (shared code has no DOM or Node types). */
export interface AbortLike {
  readonly aborted: boolean;
}

export type CancelLike = CancelSignal | AbortLike;

/** True once `signal` asked to stop. */
export function isCancelled(signal: CancelLike | undefined): boolean {
  if (signal === undefined) return false;
  return 'aborted' in signal ? signal.aborted : signal.cancelled;
}

/** Thrown by jobs that stop because they were cancelled. */
export class CancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError when `signal` asked to stop. */
export function throwIfCancelled(signal: CancelLike | undefined, what: string): void {
  if (isCancelled(signal)) throw new CancelledError(what);
}
