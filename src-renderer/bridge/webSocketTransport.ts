/**
 * A Transport over one browser WebSocket to the browser host's /rpc endpoint.
 * Frames are JSON text (JSON.stringify of a WireMessage) both ways, the same
 * framing as the host's side (src-main/host/webSocketTransport.ts). Incoming
 * frames are parsed to `unknown`; the RPC client validates them.
 */
import type { Transport } from '../../src-main/shared/rpc/transport';
import { createTransportListeners } from '../../src-main/shared/rpc/transportListeners';

/** `WebSocket.OPEN`; a literal so fakes need not carry the static constants. */
export const socketOpen = 1;

/** The part of the DOM WebSocket this module uses (a fake in tests implements it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code: number; readonly reason: string }) => void): void;
}

/** Creates a socket for a URL; `(url) => new WebSocket(url)` in the browser. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** A close reason must fit 123 UTF-8 bytes; ours are short ASCII sentences. */
const maxCloseReasonChars = 120;

/** Wraps a socket that is already open. It reports its close exactly once. */
export function createWebSocketTransport(socket: WebSocketLike): Transport {
  const listeners = createTransportListeners();

  socket.addEventListener('message', (event) => {
    // The host sends text frames only; a binary frame is not part of the protocol.
    if (listeners.closed || typeof event.data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      return; // Unattributable garbage: drop it, as the host does.
    }
    listeners.deliver(parsed);
  });
  socket.addEventListener('close', (event) => {
    listeners.finish(event.reason.length > 0 ? event.reason : `WebSocket closed (code ${event.code})`);
  });

  return {
    send(message) {
      if (listeners.closed || socket.readyState !== socketOpen) return;
      socket.send(JSON.stringify(message));
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed') {
      socket.close(1000, reason.slice(0, maxCloseReasonChars));
      // The browser reports the close asynchronously; callers expect it settled now.
      listeners.finish(reason);
    },
  };
}
