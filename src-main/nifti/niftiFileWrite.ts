/**
 * Writes a single-file NIfTI (header bytes, then voxels) atomically, gzipped
 * when the name ends in .nii.gz. Compression runs on libuv's thread pool so a
 * large volume does not stall the main process.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { SeriesGeometry } from '../shared/contract/series';
import { writeFileAtomic } from '../workspace/atomicWrite';

const gzipAsync = promisify(gzip);

/** Throws unless `file` ends in .nii or .nii.gz; returns whether to gzip. */
export function niftiCompressionOf(file: string): boolean {
  if (/\.nii\.gz$/i.test(file)) return true;
  if (/\.nii$/i.test(file)) return false;
  throw new Error(`${file}: a NIfTI file name must end in .nii or .nii.gz`);
}

/** Writes `header` followed by `voxels` to `file` (see the module comment). */
export async function writeNiftiFile(file: string, header: Uint8Array, voxels: Uint8Array): Promise<void> {
  const compress = niftiCompressionOf(file);
  const whole = new Uint8Array(header.length + voxels.length);
  whole.set(header, 0);
  whole.set(voxels, header.length);
  await writeFileAtomic(file, compress ? await gzipAsync(whole) : whole);
}

/** Throws unless `length` is the voxel count of `geometry`. */
export function checkVoxelCount(length: number, geometry: SeriesGeometry, what: string): void {
  const [nx, ny, nz] = geometry.dimensions;
  if (length !== nx * ny * nz) throw new Error(`${what} has ${length} voxels, the series grid ${nx}x${ny}x${nz} = ${nx * ny * nz}`);
}
