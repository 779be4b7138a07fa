/**
 * WebSocket framing of wire messages that carry bytes (label runs of edits,
 * stored layers and predicted slices, docs/interactive-loop.md: binary, not
 * base64 in JSON). A message without any
 * Uint8Array goes as a JSON text frame, as before. A message with bytes goes
 * as ONE binary frame:
 *
 *   "MACL" | u32 LE: JSON length n | n bytes of UTF-8 JSON | the byte arrays, back to back
 *
 * where each Uint8Array of the message appears in the JSON as
 * {"$bytes":[offset,length]}, offset counted from the end of the JSON. The
 * receiver gets views into the frame (no copy). Electron IPC needs none of
 * this: structured clone carries Uint8Array as it is.
 */
import type { WireMessage } from './wire';

// Both Node and browsers have these as globals; the shared code's lib has neither's typings.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

const magic = [0x4d, 0x41, 0x43, 0x4c]; // "MACL"
const headerBytes = 8;

function isBytesRef(value: unknown): value is { $bytes: [number, number] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$bytes') return false;
  const ref: unknown = (value as { $bytes: unknown }).$bytes;
  return Array.isArray(ref) && ref.length === 2 && ref.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
}

/** A text frame (no bytes in the message) or one binary frame (see the module comment). */
export function encodeFrame(message: WireMessage): string | Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (!(value instanceof Uint8Array)) return value;
    const ref = { $bytes: [offset, value.byteLength] };
    chunks.push(value);
    offset += value.byteLength;
    return ref;
  });
  if (chunks.length === 0) return json;
  const text = new TextEncoder().encode(json);
  const frame = new Uint8Array(headerBytes + text.byteLength + offset);
  frame.set(magic, 0);
  new DataView(frame.buffer).setUint32(4, text.byteLength, true);
  frame.set(text, headerBytes);
  let at = headerBytes + text.byteLength;
  for (const chunk of chunks) {
    frame.set(chunk, at);
    at += chunk.byteLength;
  }
  return frame;
}

/** Parses a frame made by encodeFrame; throws a readable error on a malformed one. */
export function decodeFrame(data: string | Uint8Array): unknown {
  if (typeof data === 'string') return JSON.parse(data);
  if (data.byteLength < headerBytes || magic.some((byte, i) => data[i] !== byte)) throw new Error('binary frame: not a MACL frame');
  const jsonLength = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(4, true);
  const blobsAt = headerBytes + jsonLength;
  if (blobsAt > data.byteLength) throw new Error(`binary frame: its JSON (${jsonLength} bytes) runs past the frame (${data.byteLength} bytes)`);
  const json = new TextDecoder().decode(data.subarray(headerBytes, blobsAt));
  const blobs = data.subarray(blobsAt);
  return JSON.parse(json, (_key, value: unknown) => {
    if (!isBytesRef(value)) return value;
    const [offset, length] = value.$bytes;
    if (offset + length > blobs.byteLength) throw new Error(`binary frame: bytes [${offset}, ${offset + length}) lie past its ${blobs.byteLength} bytes of data`);
    return blobs.subarray(offset, offset + length);
  });
}
