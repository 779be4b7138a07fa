/**
 * A Transport over one browser WebSocket to the browser host's /rpc endpoint.
 * Frames are JSON text, or one binary frame for a message that carries bytes
 * (predicted slices), both ways, the same framing as the host's side
 * (src-main/shared/rpc/binaryFrame.ts). Incoming frames are parsed to
 * `unknown`; the RPC client validates them.
 */
import { decodeFrame, encodeFrame } from '../../src-main/shared/rpc/binaryFrame';
import type { Transport } from '../../src-main/shared/rpc/transport';
import { createTransportListeners } from '../../src-main/shared/rpc/transportListeners';

/** `WebSocket.OPEN`; a literal so fakes need not carry the static constants. */
export const socketOpen = 1;

/** The part of the DOM WebSocket this module uses (a fake in tests implements it). */
export interface WebSocketLike {
  readonly readyState: number;
  /** Set to 'arraybuffer' here, so binary frames arrive as ArrayBuffer (not Blob). */
  binaryType?: string;
  send(data: string | Uint8Array<ArrayBuffer>): void;
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
  socket.binaryType = 'arraybuffer';

  socket.addEventListener('message', (event) => {
    const data = event.data;
    const frame = typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
    if (listeners.closed || frame === null) return;
    let parsed: unknown;
    try {
      parsed = decodeFrame(frame);
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
      socket.send(encodeFrame(message));
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
