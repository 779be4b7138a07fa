/**
 * The listener bookkeeping every Transport needs: message listeners, close
 * listeners, and "closed exactly once". Each transport (WebSocket, process
 * channel, Electron IPC) only adds how bytes move.
 */
import type { Unsubscribe } from './transport';

export interface TransportListeners {
  readonly closed: boolean;
  onMessage(listener: (message: unknown) => void): Unsubscribe;
  onClose(listener: (reason: string) => void): Unsubscribe;
  /** Hands an incoming message to every message listener (none after close). */
  deliver(message: unknown): void;
  /** Marks the transport closed and tells the close listeners, once; later calls do nothing. */
  finish(reason: string): void;
}

export function createTransportListeners(): TransportListeners {
  const messageListeners = new Set<(message: unknown) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    deliver(message) {
      if (closed) return;
      for (const listener of [...messageListeners]) listener(message);
    },
    finish(reason) {
      if (closed) return;
      closed = true;
      for (const listener of [...closeListeners]) listener(reason);
      closeListeners.clear();
      messageListeners.clear();
    },
  };
}
