/**
 * Raw bytes in the app contract. They travel as they are: structured clone
 * over Electron IPC, binary WebSocket frames in the browser host
 * (src-main/shared/rpc/binaryFrame.ts), the same object in memory.
 */
import { z } from 'zod';

/** The largest byte payload one message may carry. */
export const maxPayloadBytes = 48 * 1024 * 1024;

export const bytesSchema = z.custom<Uint8Array>((value) => value instanceof Uint8Array && value.byteLength <= maxPayloadBytes, {
  message: `expected bytes (a Uint8Array of at most ${maxPayloadBytes} bytes)`,
});
