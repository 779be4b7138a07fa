/**
 * A minimal cancellation signal for stream producers. Shared code cannot rely
 * on DOM or Node globals (AbortController), so the contract carries its own.
 */
export interface CancelSignal {
  readonly cancelled: boolean;
  /** Runs `listener` once on cancellation (immediately if already cancelled). */
  onCancel(listener: () => void): () => void;
}

export interface CancelSource {
  readonly signal: CancelSignal;
  cancel(): void;
}

export function createCancelSource(): CancelSource {
  let cancelled = false;
  const listeners = new Set<() => void>();
  const signal: CancelSignal = {
    get cancelled() {
      return cancelled;
    },
    onCancel(listener) {
      if (cancelled) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    signal,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
}
