/**
 * A Transport over one WebSocket connection of the browser host. Messages are
 * JSON text frames, or binary frames when they carry bytes (predicted slices;
 * src-main/shared/rpc/binaryFrame.ts). A frame that does not parse is ignored
 * (the RPC server validates what it parses).
 */
import type { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../shared/rpc/binaryFrame';
import type { Transport } from '../shared/rpc/transport';
import { createTransportListeners } from '../shared/rpc/transportListeners';
import type { WireMessage } from '../shared/rpc/wire';

/** A frame bigger than this is refused: nothing in the contract comes close. */
const maxFrameBytes = 64 * 1024 * 1024;

export function createWebSocketTransport(socket: WebSocket): Transport {
  const listeners = createTransportListeners();

  socket.on('message', (data, isBinary) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (bytes.byteLength > maxFrameBytes) return;
    let parsed: unknown;
    try {
      parsed = decodeFrame(isBinary ? bytes : bytes.toString('utf8'));
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
      socket.send(encodeFrame(message));
    },
    onMessage: listeners.onMessage,
    onClose: listeners.onClose,
    close(reason = 'closed') {
      socket.close(1000, reason.slice(0, 120));
    },
  };
}
