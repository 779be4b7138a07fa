/**
 * Typed sample arrays as the workstation hands them out, and the fixes every
 * decoder's output goes through: the container type follows BitsAllocated
 * and PixelRepresentation; only BitsStored bits are the pixel (higher bits
 * are masked off, signed values sign-extended from BitsStored).
 */
import type { ImagePixel } from '../header/dicomHeader';

export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface DecodedFrame {
  readonly rows: number;
  readonly columns: number;
  /** 1 for grey images, 3 for colour (interleaved RGB or YBR as stored). */
  readonly samplesPerPixel: number;
  readonly pixels: PixelArray;
}

/** An empty array of the container type for `image` (1-bit data unpacks to bytes). */
export function allocateSamples(image: ImagePixel, length: number): PixelArray {
  const signed = image.pixelRepresentation === 1;
  if (image.bitsAllocated <= 8) return signed ? new Int8Array(length) : new Uint8Array(length);
  if (image.bitsAllocated <= 16) return signed ? new Int16Array(length) : new Uint16Array(length);
  return signed ? new Int32Array(length) : new Uint32Array(length);
}

/**
 * Copies integer samples into the container for `image`, keeping only
 * BitsStored bits (masked; sign-extended from BitsStored when signed).
 */
export function toContainer(image: ImagePixel, source: ArrayLike<number>): PixelArray {
  const target = allocateSamples(image, source.length);
  const bits = Math.min(image.bitsStored, image.bitsAllocated, 32);
  if (image.bitsAllocated === 1 || bits === image.bitsAllocated) {
    // Typed-array conversion wraps modulo the container width: exactly the
    // reinterpretation wanted (e.g. unsigned 16-bit codec output as Int16).
    target.set(source);
    return target;
  }
  // Fewer stored than allocated bits (< 32 here): integer bit operations are exact.
  const mask = 2 ** bits - 1;
  const shift = 32 - bits;
  const signed = image.pixelRepresentation === 1;
  for (let i = 0; i < source.length; i++) {
    const value = (source[i] ?? 0) & mask; // two's complement input masks the same way
    target[i] = signed ? (value << shift) >> shift : value;
  }
  return target;
}

/** Reinterprets little-endian bytes as unsigned samples of `bytesPerSample`. */
export function samplesFromBytes(bytes: Uint8Array, bytesPerSample: number, bigEndian = false): ArrayLike<number> {
  const count = Math.floor(bytes.length / bytesPerSample);
  if (bytesPerSample === 1) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * bytesPerSample);
  if (bytesPerSample === 2) {
    const out = new Uint16Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, !bigEndian);
    return out;
  }
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, !bigEndian);
  return out;
}

/** Planar (RRR…GGG…BBB…) to interleaved (RGBRGB…) for one frame. */
export function interleavePlanes(planar: ArrayLike<number>, pixelsPerPlane: number, samples: number): number[] {
  const out = new Array<number>(pixelsPerPlane * samples);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < pixelsPerPlane; i++) out[i * samples + s] = planar[s * pixelsPerPlane + i] ?? 0;
  }
  return out;
}
