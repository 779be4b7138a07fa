/**
 * The frames of a BINARY segmentation: one per (segment, source slice) that
 * holds any voxel of the segment, slice k of the label volume being sorted
 * source slice k, pixel (row j, column i) being voxel i + j*nx + k*nx*ny.
 * Frames are packed one bit a pixel, first pixel in the lowest bit, frames
 * following each other without padding (PS3.5 8.1.1, BitsAllocated 1).
 */

/** Where a segment's voxels are: the volume holding it and its value there. */
export interface SegmentMask {
  readonly segmentNumber: number;
  readonly volume: Uint8Array;
  readonly value: number;
}

/** One frame to write. */
export interface SegFrame {
  readonly segmentNumber: number;
  /** Index of the sorted source slice. */
  readonly slice: number;
}

/** Frames ordered by segment then slice, and their packed pixel data. */
export interface PackedFrames {
  readonly frames: SegFrame[];
  readonly pixelData: Uint8Array;
  /** Voxels set per segment number. */
  readonly voxelsPerSegment: Map<number, number>;
}

/** Builds the non-empty frames of `masks` on a grid of `columns` x `rows` x `slices`. */
export function packFrames(masks: readonly SegmentMask[], columns: number, rows: number, slices: number): PackedFrames {
  const plane = columns * rows;
  const frames: SegFrame[] = [];
  const voxelsPerSegment = new Map<number, number>();
  const planes: { mask: SegmentMask; slice: number }[] = [];
  for (const mask of masks) {
    if (mask.volume.length !== plane * slices) throw new RangeError(`Segment ${mask.segmentNumber}: its volume has ${mask.volume.length} voxels, the grid ${plane * slices}.`);
    let total = 0;
    for (let k = 0; k < slices; k++) {
      let count = 0;
      const offset = k * plane;
      for (let p = 0; p < plane; p++) if (mask.volume[offset + p] === mask.value) count++;
      if (count > 0) {
        frames.push({ segmentNumber: mask.segmentNumber, slice: k });
        planes.push({ mask, slice: k });
        total += count;
      }
    }
    voxelsPerSegment.set(mask.segmentNumber, total);
  }
  const pixelData = new Uint8Array(Math.ceil((planes.length * plane) / 8));
  let bit = 0;
  for (const { mask, slice } of planes) {
    const offset = slice * plane;
    for (let p = 0; p < plane; p++, bit++) {
      if (mask.volume[offset + p] === mask.value) pixelData[bit >> 3] = (pixelData[bit >> 3] as number) | (1 << (bit & 7));
    }
  }
  return { frames, pixelData, voxelsPerSegment };
}

/** Unpacks frame `frame` (0-based) of packed 1-bit pixel data into 0/1 bytes. */
export function unpackFrame(pixelData: Uint8Array, frame: number, plane: number): Uint8Array {
  const out = new Uint8Array(plane);
  const start = frame * plane;
  if (Math.ceil((start + plane) / 8) > pixelData.length) throw new RangeError(`Frame ${frame + 1} lies past the end of the pixel data (${pixelData.length} bytes).`);
  for (let p = 0; p < plane; p++) {
    const bit = start + p;
    out[p] = ((pixelData[bit >> 3] as number) >> (bit & 7)) & 1;
  }
  return out;
}
