/**
 * JPEG 2000 (lossless and lossy) through OpenJPEG. The codestream carries
 * its own sign and precision; the DICOM header (PixelRepresentation,
 * BitsStored) decides how the samples are interpreted, as pydicom does for
 * J2K_pixelrep_mismatch.dcm, whose codestream and header disagree.
 */
import type { ImagePixel } from '../header/dicomHeader';
import { samplesFromBytes, toContainer, type DecodedFrame } from './pixelSamples';
import { decodeWithWasm } from './wasmCodecs';

/** Decodes one JPEG 2000 frame. */
export async function decodeJ2kFrame(encoded: Uint8Array, image: ImagePixel, name: string): Promise<DecodedFrame> {
  const { info, bytes } = await decodeWithWasm('jpeg-2000', encoded);
  if (info.width !== image.columns || info.height !== image.rows) {
    throw new Error(`${name}: the JPEG 2000 frame is ${info.width}x${info.height}, the header says ${image.columns}x${image.rows}`);
  }
  const bytesPerSample = info.bitsPerSample > 16 ? 4 : info.bitsPerSample > 8 ? 2 : 1;
  // Signed codestreams arrive in two's complement of the container width;
  // read unsigned, the container conversion restores the sign (see toContainer).
  const samples = samplesFromBytes(bytes, bytesPerSample);
  return { rows: image.rows, columns: image.columns, samplesPerPixel: info.componentCount, pixels: toContainer(image, samples) };
}
