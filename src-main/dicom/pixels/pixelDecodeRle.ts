/**
 * DICOM RLE Lossless (PS3.5 annex G): a 64-byte header with up to 15
 * segment offsets, each segment a PackBits stream of one byte plane (for
 * each sample, most significant byte first).
 */
import type { ImagePixel } from '../header/dicomHeader';
import { toContainer, type DecodedFrame } from './pixelSamples';

function unpackSegment(data: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  while (i < end && o < out.length) {
    const n = data[i++] ?? 0;
    const control = n > 127 ? n - 256 : n;
    if (control >= 0) {
      const count = Math.min(control + 1, out.length - o, end - i);
      out.set(data.subarray(i, i + count), o);
      i += control + 1;
      o += count;
    } else if (control > -128) {
      const value = data[i++] ?? 0;
      const count = Math.min(1 - control, out.length - o);
      out.fill(value, o, o + count);
      o += count;
    }
    // -128: no operation
  }
}

/** Decodes one RLE-compressed frame. */
export function decodeRleFrame(encoded: Uint8Array, image: ImagePixel, name: string): DecodedFrame {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  if (encoded.length < 64) throw new Error(`${name}: RLE frame shorter than its 64-byte header`);
  const segments = view.getUint32(0, true);
  const bytesPerSample = Math.ceil(image.bitsAllocated / 8);
  const expected = bytesPerSample * image.samplesPerPixel;
  if (segments !== expected) throw new Error(`${name}: RLE frame has ${segments} segments, ${expected} expected`);
  const pixels = image.rows * image.columns;
  const samples = new Float64Array(pixels * image.samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? view.getUint32(8 + s * 4, true) : encoded.length;
    if (start < 64 || start > encoded.length || end > encoded.length) throw new Error(`${name}: RLE segment ${s + 1} lies outside the frame`);
    plane.fill(0);
    unpackSegment(encoded, start, end, plane);
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    const factor = 2 ** shift;
    for (let i = 0; i < pixels; i++) samples[i * image.samplesPerPixel + sample] = (samples[i * image.samplesPerPixel + sample] ?? 0) + (plane[i] ?? 0) * factor;
  }
  return { rows: image.rows, columns: image.columns, samplesPerPixel: image.samplesPerPixel, pixels: toContainer(image, samples) };
}
