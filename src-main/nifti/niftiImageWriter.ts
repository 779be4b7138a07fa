/**
 * The image of a series as a NIfTI-1 volume on the same grid (and affine) as
 * its label maps, so research tools open both together. Integer images
 * (CT in HU, most MR) are stored as int16, shifted by scl_inter when their
 * range needs it; anything else as float32, exactly the values the
 * workstation computed.
 */
import type { SeriesGeometry } from '../shared/contract/series';
import { checkVoxelCount, writeNiftiFile } from './niftiFileWrite';
import { niftiHeaderBytes } from './niftiHeaderWriter';

/** How the voxels are stored: datatype and the scaling that gives the values back. */
export interface ImageEncoding {
  readonly datatype: 4 | 16;
  readonly intercept: number;
}

/** int16 when every value is an integer spanning at most 65536 values, else float32. */
export function imageEncodingOf(voxels: Float32Array): ImageEncoding {
  let min = Infinity;
  let max = -Infinity;
  for (const value of voxels) {
    if (!Number.isInteger(value)) return { datatype: 16, intercept: 0 };
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (voxels.length === 0 || (min >= -32768 && max <= 32767)) return { datatype: 4, intercept: 0 };
  if (max - min <= 65535) return { datatype: 4, intercept: min + 32768 };
  return { datatype: 16, intercept: 0 };
}

/**
 * Writes `voxels` (a loaded volume's rescaled values, flat index
 * i + j*nx + k*nx*ny of the series' sorted grid) as .nii or .nii.gz, atomically.
 */
export async function writeNiftiImage(file: string, voxels: Float32Array, geometry: SeriesGeometry): Promise<void> {
  checkVoxelCount(voxels.length, geometry, `The image for ${file}`);
  const encoding = imageEncodingOf(voxels);
  const header = niftiHeaderBytes({ geometry, datatype: encoding.datatype, slope: 1, intercept: encoding.intercept, description: 'MACL image' });
  let data: Uint8Array;
  if (encoding.datatype === 4) {
    const stored = new Int16Array(voxels.length);
    for (let n = 0; n < voxels.length; n++) stored[n] = (voxels[n] ?? 0) - encoding.intercept;
    data = littleEndianBytes(stored);
  } else {
    data = littleEndianBytes(voxels);
  }
  await writeNiftiFile(file, header, data);
}

/** The bytes of a typed array in little-endian order (the header says little-endian). */
function littleEndianBytes(array: Int16Array | Float32Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const size = array.BYTES_PER_ELEMENT;
  for (let n = 0; n < bytes.length; n += size) for (let b = 0; b < size; b++) swapped[n + b] = bytes[n + size - 1 - b] ?? 0;
  return swapped;
}
