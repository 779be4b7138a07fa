/**
 * A slice is one frame of one file: the unit that is sorted into stacks.
 * Single-frame files give one slice with `frame: null`.
 */
import { frameGeometry, type DicomHeader, type FrameGeometry } from '../header/dicomHeader';

export interface HeaderFile {
  readonly path: string;
  readonly header: DicomHeader;
}

export interface SliceRef {
  readonly path: string;
  /** 0-based frame in a multi-frame file; null for single-frame files. */
  readonly frame: number | null;
  readonly header: DicomHeader;
  readonly geometry: FrameGeometry;
}

/** One slice per frame of an image file. */
export function slicesOf(file: HeaderFile): SliceRef[] {
  const frames = file.header.image?.numberOfFrames ?? 1;
  if (frames <= 1) return [{ path: file.path, frame: null, header: file.header, geometry: frameGeometry(file.header, 0) }];
  return Array.from({ length: frames }, (_, frame) => ({ path: file.path, frame, header: file.header, geometry: frameGeometry(file.header, frame) }));
}

const orNull = (value: number | null): number => value ?? Number.NEGATIVE_INFINITY;

/**
 * Orders slices that share a position, or that have none: echo, temporal
 * position, acquisition, instance number, frame, then path (a last resort
 * that only keeps the order stable).
 */
export function compareAcquisitionOrder(a: SliceRef, b: SliceRef): number {
  return (
    orNull(a.header.echoNumber) - orNull(b.header.echoNumber) ||
    orNull(a.header.temporalPosition) - orNull(b.header.temporalPosition) ||
    orNull(a.header.acquisitionNumber) - orNull(b.header.acquisitionNumber) ||
    orNull(a.header.instanceNumber) - orNull(b.header.instanceNumber) ||
    (a.frame ?? -1) - (b.frame ?? -1) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

/** "12x34" style size key plus samples, so colour and grey images never share a stack. */
export function sizeKey(slice: SliceRef): string {
  const image = slice.header.image;
  return image === null ? 'none' : `${image.columns}x${image.rows}x${image.samplesPerPixel}`;
}
