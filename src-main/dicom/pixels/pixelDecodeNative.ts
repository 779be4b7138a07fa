/**
 * Native (uncompressed) pixel data: little or big endian, 1 to 32 bits
 * allocated, planar or interleaved colour. Deflated files arrive here too:
 * their data set was inflated when parsed.
 */
import path from 'node:path';
import type { ImagePixel } from '../header/dicomHeader';
import { interleavePlanes, samplesFromBytes, toContainer, type DecodedFrame } from './pixelSamples';
import { nativePixelBytes, type PixelSource } from './pixelSource';

function unpackBits(bytes: Uint8Array, firstBit: number, count: number): Uint8Array {
  // DICOM packs 1-bit pixels least significant bit first.
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    out[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
  }
  return out;
}

/** Decodes frame `frame` of native pixel data. */
export function decodeNativeFrame(source: PixelSource, frame: number): DecodedFrame {
  const image: ImagePixel | null = source.header.image;
  const name = path.basename(source.path);
  if (image === null) throw new Error(`${name}: not an image`);
  if (image.photometric === 'YBR_FULL_422') throw new Error(`${name}: uncompressed YBR_FULL_422 colour is not supported`);
  const bytes = nativePixelBytes(source);
  const pixelsPerFrame = image.rows * image.columns;
  const samplesPerFrame = pixelsPerFrame * image.samplesPerPixel;
  if (image.bitsAllocated === 1) {
    const bits = unpackBits(bytes, frame * samplesPerFrame, samplesPerFrame);
    return { rows: image.rows, columns: image.columns, samplesPerPixel: image.samplesPerPixel, pixels: bits };
  }
  if (image.bitsAllocated % 8 !== 0 || image.bitsAllocated > 32) throw new Error(`${name}: BitsAllocated ${image.bitsAllocated} is not supported`);
  const bytesPerSample = image.bitsAllocated / 8;
  const frameBytes = samplesPerFrame * bytesPerSample;
  const start = frame * frameBytes;
  if (start + frameBytes > bytes.length) throw new Error(`${name}: frame ${frame + 1} lies beyond the pixel data (truncated file?)`);
  const raw = samplesFromBytes(bytes.subarray(start, start + frameBytes), bytesPerSample, source.encoding === 'native-big');
  const ordered = image.samplesPerPixel > 1 && image.planarConfiguration === 1 ? interleavePlanes(raw, pixelsPerFrame, image.samplesPerPixel) : raw;
  return { rows: image.rows, columns: image.columns, samplesPerPixel: image.samplesPerPixel, pixels: toContainer(image, ordered) };
}
