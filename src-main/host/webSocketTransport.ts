/**
 * A Transport over one WebSocket connection of the browser host. Messages are
 * JSON text frames; anything else is ignored (the RPC server validates what
 * it parses).
 */
import type { WebSocket } from 'ws';
import type { Transport } from '../shared/rpc/transport';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import type { WireMessage } from '../shared/rpc/wire';

/** A frame bigger than this is refused: nothing in the contract comes close. */
const maxFrameBytes = 64 * 1024 * 1024;

export function createWebSocketTransport(socket: WebSocket): Transport {
  const listeners = createTransportListeners();

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    if (text.length > maxFrameBytes) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    listeners.deliver(parsed);
  });
  socket.on('close', (code, reason) => {
    listeners.finish(reason.length > 0 ? reason.toString('utf8') : `WebSocket closed (code ${code})`);
  });

  return {
    send(message: WireMessage) {
      if (listeners.closed || socket.readyState !== socket.OPEN) return;
      socket.send(JSON.stringify(message));
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed') {
      socket.close(1000, reason.slice(0, 120));
    },
  };
}
