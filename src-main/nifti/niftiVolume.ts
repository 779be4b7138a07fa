/**
 * Reading a NIfTI-1 file (.nii, or .nii.gz through zlib): its header, the
 * DICOM-convention geometry, and the first volume's voxels as Float32 with
 * scl_slope / scl_inter applied, in geometry order (x fastest, then y, z).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { niftiGrid, type NiftiGrid } from './niftiGeometry';
import { niftiDatatypes, parseNiftiHeader, type NiftiHeader } from './niftiHeader';

/** True for file names this reader opens. */
export function isNiftiPath(file: string): boolean {
  return /\.nii(\.gz)?$/i.test(file);
}

export interface NiftiFile {
  readonly path: string;
  readonly header: NiftiHeader;
  readonly grid: NiftiGrid;
  readonly bytes: Uint8Array;
}

/** Reads and parses a NIfTI file (the whole file: voxels follow the header). */
export async function readNifti(file: string): Promise<NiftiFile> {
  const name = path.basename(file);
  const raw = await fsp.readFile(file);
  let bytes: Uint8Array = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (thrown) {
      throw new Error(`${name}: gzip stream is corrupt (${thrown instanceof Error ? thrown.message : String(thrown)})`, { cause: thrown });
    }
  }
  const header = parseNiftiHeader(bytes, name);
  if (niftiDatatypes[header.datatype] === undefined) throw new Error(`${name}: NIfTI datatype ${header.datatype} is not supported (uint8, int8, int16, uint16, int32, uint32, float32, float64 are)`);
  const grid = niftiGrid(header);
  const [ni = 1, nj = 1, nk = 1] = header.dims;
  const needed = Math.round(header.voxOffset) + ni * nj * nk * (niftiDatatypes[header.datatype]?.bytes ?? 1);
  if (bytes.length < needed) throw new Error(`${name} is truncated: the first volume needs ${needed} bytes, the file has ${bytes.length}`);
  return { path: file, header, grid, bytes };
}

/** The scaling to apply: NIfTI says a slope of 0 (or not finite) means none. */
export function niftiScaling(header: NiftiHeader): { slope: number; intercept: number } {
  const usable = Number.isFinite(header.sclSlope) && header.sclSlope !== 0;
  return usable ? { slope: header.sclSlope, intercept: Number.isFinite(header.sclInter) ? header.sclInter : 0 } : { slope: 1, intercept: 0 };
}

/** Reads voxel `index` (storage order, unscaled) of `datatype` from `view`, which starts at the first voxel. */
export function niftiValueReader(view: DataView, datatype: number, le: boolean): (index: number) => number {
  switch (datatype) {
    case 2: return (i) => view.getUint8(i);
    case 256: return (i) => view.getInt8(i);
    case 4: return (i) => view.getInt16(i * 2, le);
    case 512: return (i) => view.getUint16(i * 2, le);
    case 8: return (i) => view.getInt32(i * 4, le);
    case 768: return (i) => view.getUint32(i * 4, le);
    case 16: return (i) => view.getFloat32(i * 4, le);
    case 64: return (i) => view.getFloat64(i * 8, le);
    default: throw new Error(`NIfTI datatype ${datatype} is not supported`);
  }
}

/**
 * The first volume, scaled, in geometry order: voxel (x, y, z) at
 * x + y·nx + z·nx·ny, with y reversed when the grid reads j backwards.
 * `slices` limits the output to some z (e.g. the middle one for a thumbnail).
 */
export function niftiVoxels(nifti: NiftiFile, slices?: readonly number[]): Float32Array {
  const { header, grid, bytes } = nifti;
  const [nx, ny, nz] = grid.geometry.dimensions;
  const offset = Math.round(header.voxOffset);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, bytes.byteLength - offset);
  const read = niftiValueReader(view, header.datatype, header.littleEndian);
  const { slope, intercept } = niftiScaling(header);
  const zs = slices ?? Array.from({ length: nz }, (_, z) => z);
  const out = new Float32Array(nx * ny * zs.length);
  zs.forEach((z, outZ) => {
    for (let y = 0; y < ny; y++) {
      const j = grid.flipJ ? ny - 1 - y : y;
      const source = (z * ny + j) * nx;
      const target = (outZ * ny + y) * nx;
      for (let x = 0; x < nx; x++) out[target + x] = read(source + x) * slope + intercept;
    }
  });
  return out;
}
