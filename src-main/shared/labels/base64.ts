/**
 * Base64 for binary payloads on the JSON wire. Hand-written because the
 * shared contract runs in the renderer (no Buffer) and in Node alike, and
 * `btoa` on large arrays needs a string of one char per byte first.
 */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lookup = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;

/** Encodes bytes as standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(bytes.length, start + chunk);
    let out = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i] as number;
      const b = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const c = i + 2 < end ? (bytes[i + 2] as number) : 0;
      const triple = (a << 16) | (b << 8) | c;
      out += alphabet[(triple >> 18) & 63]! + alphabet[(triple >> 12) & 63]!;
      out += i + 1 < end ? alphabet[(triple >> 6) & 63]! : '=';
      out += i + 2 < end ? alphabet[triple & 63]! : '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

/** Decodes standard base64; throws a RangeError naming the first bad character. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new RangeError(`Base64 text has length ${text.length}, not a multiple of 4.`);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPad = code === 61 && i + j >= text.length - padding;
      const value = isPad ? 0 : code < 128 ? (lookup[code] as number) : -1;
      if (value < 0) throw new RangeError(`Base64 text has an invalid character at ${i + j}.`);
      triple = (triple << 6) | value;
    }
    if (o < out.length) out[o++] = (triple >> 16) & 255;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}
