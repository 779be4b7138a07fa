/**
 * The JPEG family inside DICOM, routed by the frame's own SOF marker rather
 * than only by the transfer syntax (real files mislabel them): 8-bit DCT
 * (baseline, extended, progressive) through libjpeg-turbo; 12-bit DCT
 * through the workstation's own decoder; lossless (SOF3) through
 * jpeg-lossless-decoder-js; JPEG-LS (SOF55) through CharLS.
 */
import type { ImagePixel } from '../header/dicomHeader';
import { decodeJpegDct } from './jpeg/jpegDctDecoder';
import { samplesFromBytes, toContainer, type DecodedFrame } from './pixelSamples';
import { decodeWithWasm } from './wasmCodecs';

export type JpegKind = { readonly kind: 'dct'; readonly precision: number; readonly progressive: boolean } | { readonly kind: 'lossless' } | { readonly kind: 'jpeg-ls' };

/** Finds the frame header marker of a JPEG stream. */
export function jpegKind(data: Uint8Array): JpegKind {
  let pos = 2;
  while (pos + 4 < data.length) {
    if (data[pos] !== 0xff) {
      pos++;
      continue;
    }
    const marker = data[pos + 1] ?? 0;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) return { kind: 'dct', precision: data[pos + 4] ?? 8, progressive: marker === 0xc2 };
    if (marker === 0xc3 || marker === 0xc7) return { kind: 'lossless' };
    if (marker === 0xf7) return { kind: 'jpeg-ls' };
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    pos += 2 + (((data[pos + 2] ?? 0) << 8) | (data[pos + 3] ?? 0));
  }
  throw new Error('no JPEG frame header (SOF) found');
}

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
}

let losslessClass: Promise<new () => LosslessDecoder> | null = null;

async function loadLossless(): Promise<new () => LosslessDecoder> {
  const specifier: string = 'jpeg-lossless-decoder-js';
  const module: unknown = await import(/* @vite-ignore */ specifier);
  const Decoder: unknown = typeof module === 'object' && module !== null ? Reflect.get(module, 'Decoder') : undefined;
  if (typeof Decoder !== 'function') throw new Error('jpeg-lossless-decoder-js has no Decoder');
  return Decoder as new () => LosslessDecoder;
}

function frameOf(image: ImagePixel, samples: ArrayLike<number>, samplesPerPixel: number): DecodedFrame {
  return { rows: image.rows, columns: image.columns, samplesPerPixel, pixels: toContainer(image, samples) };
}

function checkSize(name: string, image: ImagePixel, width: number, height: number): void {
  if (width !== image.columns || height !== image.rows) throw new Error(`${name}: the compressed frame is ${width}x${height}, the header says ${image.columns}x${image.rows}`);
}

/** Decodes one JPEG-family frame. */
export async function decodeJpegFrame(encoded: Uint8Array, image: ImagePixel, name: string): Promise<DecodedFrame> {
  const kind = jpegKind(encoded);
  if (kind.kind === 'jpeg-ls') {
    const { info, bytes } = await decodeWithWasm('jpeg-ls', encoded);
    checkSize(name, image, info.width, info.height);
    return frameOf(image, samplesFromBytes(bytes, info.bitsPerSample > 8 ? 2 : 1), info.componentCount);
  }
  if (kind.kind === 'lossless') {
    losslessClass ??= loadLossless();
    const Decoder = await losslessClass;
    // A private, zero-offset copy: the decoder reads its ArrayBuffer from offset 0
    // (a Node Buffer's .slice() would share the pooled memory instead).
    const copy = new Uint8Array(encoded);
    const samples = new Decoder().decode(copy.buffer, 0, copy.length, image.bitsAllocated <= 8 ? 1 : 2);
    if (samples.length < image.rows * image.columns * image.samplesPerPixel) throw new Error(`${name}: JPEG lossless frame decoded to too few samples`);
    return frameOf(image, samples, image.samplesPerPixel);
  }
  if (kind.precision <= 8) {
    const { info, bytes } = await decodeWithWasm('jpeg-8bit', encoded);
    checkSize(name, image, info.width, info.height);
    return frameOf(image, bytes, info.componentCount);
  }
  if (kind.progressive) throw new Error(`${name}: progressive JPEG with ${kind.precision}-bit samples is not supported`);
  const decoded = decodeJpegDct(encoded);
  checkSize(name, image, decoded.width, decoded.height);
  return frameOf(image, decoded.pixels, decoded.components);
}
