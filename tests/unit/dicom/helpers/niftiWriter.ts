/**
 * Writes NIfTI-1 files for tests (single .nii, optionally gzipped), with
 * whatever sform / qform / scaling a test needs.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface NiftiSpec {
  readonly dims: readonly [number, number, number];
  readonly datatype: 2 | 4 | 8 | 16 | 64 | 512;
  readonly pixdim?: readonly [number, number, number];
  /** pixdim[0]: qfac (±1). */
  readonly qfac?: number;
  readonly sform?: readonly [readonly number[], readonly number[], readonly number[]];
  readonly qform?: { readonly b: number; readonly c: number; readonly d: number; readonly offset: readonly [number, number, number] };
  readonly slope?: number;
  readonly intercept?: number;
  /** Voxel values in storage order (i fastest). */
  readonly values: ArrayLike<number>;
  readonly gzip?: boolean;
  readonly description?: string;
}

const sizes = { 2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 512: 2 } as const;

export function writeNifti(file: string, spec: NiftiSpec): void {
  const bytes = sizes[spec.datatype];
  const count = spec.dims[0] * spec.dims[1] * spec.dims[2];
  const buffer = new ArrayBuffer(352 + count * bytes);
  const view = new DataView(buffer);
  view.setInt32(0, 348, true);
  view.setInt16(40, 3, true);
  spec.dims.forEach((d, i) => view.setInt16(42 + i * 2, d, true));
  for (let i = 3; i < 7; i++) view.setInt16(42 + i * 2, 1, true);
  view.setInt16(70, spec.datatype, true);
  view.setInt16(72, bytes * 8, true);
  const pixdim = spec.pixdim ?? [1, 1, 1];
  view.setFloat32(76, spec.qfac ?? 1, true);
  pixdim.forEach((p, i) => view.setFloat32(80 + i * 4, p, true));
  view.setFloat32(108, 352, true);
  view.setFloat32(112, spec.slope ?? 0, true);
  view.setFloat32(116, spec.intercept ?? 0, true);
  new Uint8Array(buffer, 148, 80).set(Buffer.from((spec.description ?? '').slice(0, 79), 'latin1'));
  if (spec.qform !== undefined) {
    view.setInt16(252, 1, true);
    [spec.qform.b, spec.qform.c, spec.qform.d, ...spec.qform.offset].forEach((v, i) => view.setFloat32(256 + i * 4, v, true));
  }
  if (spec.sform !== undefined) {
    view.setInt16(254, 2, true);
    spec.sform.forEach((row, r) => row.forEach((v, c) => view.setFloat32(280 + r * 16 + c * 4, v, true)));
  }
  new Uint8Array(buffer, 344, 4).set([0x6e, 0x2b, 0x31, 0]); // "n+1\0"
  for (let i = 0; i < count; i++) {
    const at = 352 + i * bytes;
    const v = spec.values[i] ?? 0;
    switch (spec.datatype) {
      case 2: view.setUint8(at, v); break;
      case 4: view.setInt16(at, v, true); break;
      case 512: view.setUint16(at, v, true); break;
      case 8: view.setInt32(at, v, true); break;
      case 16: view.setFloat32(at, v, true); break;
      case 64: view.setFloat64(at, v, true); break;
    }
  }
  const out = new Uint8Array(buffer);
  writeFileSync(file, spec.gzip === true ? gzipSync(out) : out);
}
