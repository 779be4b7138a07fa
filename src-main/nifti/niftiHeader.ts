/**
 * The NIfTI-1 header (348 bytes, either byte order): dimensions, data type,
 * voxel sizes, scaling, and the qform / sform orientation fields.
 */

export interface NiftiHeader {
  readonly littleEndian: boolean;
  /** dim[1..7]: the voxel grid (i, j, k, t, …). */
  readonly dims: readonly number[];
  readonly datatype: number;
  readonly bitpix: number;
  /** pixdim[0..7]; pixdim[0] is qfac (the sign of the k axis in the qform). */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quatern: readonly [number, number, number];
  readonly qoffset: readonly [number, number, number];
  /** srow_x, srow_y, srow_z: the sform's three rows (RAS). */
  readonly srow: readonly [readonly number[], readonly number[], readonly number[]];
  readonly description: string;
}

/** Datatype codes this reader supports, with their byte size. */
export const niftiDatatypes: Readonly<Record<number, { readonly name: string; readonly bytes: number }>> = {
  2: { name: 'uint8', bytes: 1 },
  4: { name: 'int16', bytes: 2 },
  8: { name: 'int32', bytes: 4 },
  16: { name: 'float32', bytes: 4 },
  64: { name: 'float64', bytes: 8 },
  256: { name: 'int8', bytes: 1 },
  512: { name: 'uint16', bytes: 2 },
  768: { name: 'uint32', bytes: 4 },
};

/** Parses the header; throws (naming `name`) when it is not NIfTI-1. */
export function parseNiftiHeader(bytes: Uint8Array, name: string): NiftiHeader {
  if (bytes.length < 348) throw new Error(`${name}: shorter than a NIfTI-1 header (348 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le = true;
  if (view.getInt32(0, true) !== 348) {
    if (view.getInt32(0, false) !== 348) throw new Error(`${name}: not a NIfTI-1 file (sizeof_hdr is not 348)`);
    le = false;
  }
  const magic = String.fromCharCode(bytes[344] ?? 0, bytes[345] ?? 0, bytes[346] ?? 0);
  if (magic !== 'n+1' && magic !== 'ni1') throw new Error(`${name}: NIfTI magic "${magic}" is neither n+1 nor ni1`);
  if (magic === 'ni1') throw new Error(`${name}: a .hdr/.img pair; open the single-file .nii form`);
  const i16 = (at: number): number => view.getInt16(at, le);
  const f32 = (at: number): number => view.getFloat32(at, le);
  const rank = i16(40);
  if (rank < 1 || rank > 7) throw new Error(`${name}: dim[0] = ${rank} is not a valid NIfTI rank`);
  const dims = Array.from({ length: rank }, (_, i) => i16(42 + i * 2));
  const row = (r: number): number[] => [0, 1, 2, 3].map((c) => f32(280 + r * 16 + c * 4));
  const text = new TextDecoder('latin1').decode(bytes.subarray(148, 228));
  return {
    littleEndian: le,
    dims,
    datatype: i16(70),
    bitpix: i16(72),
    pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + i * 4)),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    qformCode: i16(252),
    sformCode: i16(254),
    quatern: [f32(256), f32(260), f32(264)],
    qoffset: [f32(268), f32(272), f32(276)],
    srow: [row(0), row(1), row(2)],
    description: text.replace(/\0.*$/s, '').trim(),
  };
}
