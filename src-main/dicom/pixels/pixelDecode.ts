/**
 * Decoding pixel data on the Node side (the trainer needs voxels): one
 * entry point per frame whatever the transfer syntax, and the conversion to
 * rescaled Float32 (Hounsfield units for CT).
 */
import path from 'node:path';
import { frameGeometry } from '../header/dicomHeader';
import { decodeJ2kFrame } from './pixelDecodeJ2k';
import { decodeJpegFrame } from './pixelDecodeJpeg';
import { decodeNativeFrame } from './pixelDecodeNative';
import { decodeRleFrame } from './pixelDecodeRle';
import type { DecodedFrame } from './pixelSamples';
import { encapsulatedFrame, openPixelSource, type PixelSource } from './pixelSource';

export type { DecodedFrame, PixelArray } from './pixelSamples';
export { openPixelSource, type PixelSource } from './pixelSource';

/** Decodes frame `frame` (0-based) of an opened file into stored values (no rescale). */
export async function decodeFrame(source: PixelSource, frame = 0): Promise<DecodedFrame> {
  const image = source.header.image;
  const name = path.basename(source.path);
  if (image === null) throw new Error(`${name}: not an image`);
  if (frame < 0 || frame >= image.numberOfFrames) throw new Error(`${name}: frame ${frame + 1} does not exist (${image.numberOfFrames} frames)`);
  switch (source.encoding) {
    case 'native-little':
    case 'native-big':
    case 'deflated':
      return decodeNativeFrame(source, frame);
    case 'rle':
      return decodeRleFrame(encapsulatedFrame(source, frame), image, name);
    case 'jpeg-2000':
      return decodeJ2kFrame(encapsulatedFrame(source, frame), image, name);
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless':
    case 'jpeg-ls':
      return decodeJpegFrame(encapsulatedFrame(source, frame), image, name);
  }
}

/** Opens `file` and decodes one frame. */
export async function decodeFile(file: string, frame = 0): Promise<DecodedFrame> {
  return decodeFrame(await openPixelSource(file), frame);
}

/** The rescale (slope, intercept) of a frame: per-frame for enhanced objects, else the file's. */
export function rescaleOf(source: PixelSource, frame: number): { slope: number; intercept: number } {
  const perFrame = frameGeometry(source.header, frame).rescale;
  return perFrame ?? { slope: source.header.rescaleSlope, intercept: source.header.rescaleIntercept };
}

/**
 * Stored values to modality values (HU for CT) as Float32. Colour frames are
 * reduced to luma (ITU-R BT.601), which is what a grey-level model sees.
 */
export function toRescaledFloat32(decoded: DecodedFrame, slope: number, intercept: number, target?: Float32Array, offset = 0): Float32Array {
  const count = decoded.rows * decoded.columns;
  const out = target ?? new Float32Array(count);
  const p = decoded.pixels;
  if (decoded.samplesPerPixel === 1) {
    for (let i = 0; i < count; i++) out[offset + i] = (p[i] ?? 0) * slope + intercept;
  } else {
    const n = decoded.samplesPerPixel;
    for (let i = 0; i < count; i++) out[offset + i] = 0.299 * (p[i * n] ?? 0) + 0.587 * (p[i * n + 1] ?? 0) + 0.114 * (p[i * n + 2] ?? 0);
  }
  return out;
}
