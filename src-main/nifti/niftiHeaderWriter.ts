/**
 * Builds the 352-byte prologue (348-byte NIfTI-1 header + the 4-byte empty
 * extension flag) of a single-file .nii for a volume on a series' sorted
 * grid. Storage order is the series' own (i fastest, then j, then k), so the
 * affine is the series' LPS affine converted to NIfTI's RAS; it is written
 * both as the sform (exact, what readers prefer) and as the qform (a
 * quaternion of the orthonormalised directions), both with code 1 (scanner).
 */
import type { SeriesGeometry } from '../shared/contract/series';
import { cross, normalize, scale, type Vec3 } from '../shared/geometry/vec3';

/** Where the voxels start: header plus the extension flag bytes. */
export const niftiVoxOffset = 352;

/** NIFTI_XFORM_SCANNER_ANAT: coordinates are the scanner's patient space (as dcm2niix writes). */
const scannerAnatCode = 1;
/** NIFTI_INTENT_LABEL: voxel values are label indices. */
export const niftiIntentLabel = 1002;
/** xyzt_units: NIFTI_UNITS_MM. */
const unitsMm = 2;

export interface NiftiHeaderSpec {
  readonly geometry: SeriesGeometry;
  /** NIfTI datatype code (2 uint8, 4 int16, 16 float32). */
  readonly datatype: 2 | 4 | 16;
  readonly slope?: number;
  readonly intercept?: number;
  readonly intentCode?: number;
  readonly calMin?: number;
  readonly calMax?: number;
  /** Up to 79 characters (latin1). */
  readonly description: string;
}

const bitsOf = { 2: 8, 4: 16, 16: 32 } as const;
const lpsToRas = (v: Vec3): Vec3 => [-v[0], -v[1], v[2]];

/** The voxel-to-RAS affine of a series grid: three columns (one per voxel axis) and the offset. */
export function rasAffineOf(geometry: SeriesGeometry): { columns: [Vec3, Vec3, Vec3]; offset: Vec3 } {
  const [row, col, normal] = geometry.direction;
  const [sx, sy, sz] = geometry.spacingMm;
  return {
    columns: [lpsToRas(scale(row, sx)), lpsToRas(scale(col, sy)), lpsToRas(scale(normal, sz))],
    offset: lpsToRas(geometry.originMm),
  };
}

/**
 * The NIfTI quaternion (b, c, d) and qfac of a rotation given by its three
 * unit columns; the algorithm of nifti1_io.c's nifti_mat44_to_quatern.
 */
export function quaternionOf(columns: readonly [Vec3, Vec3, Vec3]): { b: number; c: number; d: number; qfac: 1 | -1 } {
  const [c0, c1, c2] = columns;
  // r[row][col]
  let r13 = c2[0];
  let r23 = c2[1];
  let r33 = c2[2];
  const [r11, r21, r31] = c0;
  const [r12, r22, r32] = c1;
  const det = r11 * (r22 * r33 - r32 * r23) - r12 * (r21 * r33 - r31 * r23) + r13 * (r21 * r32 - r31 * r22);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) {
    r13 = -r13;
    r23 = -r23;
    r33 = -r33;
  }
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    // NIfTI requires a >= 0 (it is not stored, but recomputed as +sqrt).
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}

/** The header bytes (see the module comment); little-endian, magic "n+1". */
export function niftiHeaderBytes(spec: NiftiHeaderSpec): Uint8Array {
  const { geometry } = spec;
  const bytes = new Uint8Array(niftiVoxOffset);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 348, true);
  bytes[38] = 0x72; // regular = 'r'
  view.setInt16(40, 3, true);
  geometry.dimensions.forEach((n, i) => view.setInt16(42 + i * 2, n, true));
  for (let i = 3; i < 7; i++) view.setInt16(42 + i * 2, 1, true);
  view.setInt16(68, spec.intentCode ?? 0, true);
  view.setInt16(70, spec.datatype, true);
  view.setInt16(72, bitsOf[spec.datatype], true);
  // The qform's rotation must be proper and orthonormal: column' = normal × row.
  const [row, , normal] = geometry.direction;
  const rowUnit = normalize(row);
  const normalUnit = normalize(normal);
  const rotation: [Vec3, Vec3, Vec3] = [lpsToRas(rowUnit), lpsToRas(cross(normalUnit, rowUnit)), lpsToRas(normalUnit)];
  const quaternion = quaternionOf(rotation);
  view.setFloat32(76, quaternion.qfac, true);
  geometry.spacingMm.forEach((s, i) => view.setFloat32(80 + i * 4, s, true));
  for (let i = 4; i < 8; i++) view.setFloat32(76 + i * 4, 1, true);
  view.setFloat32(108, niftiVoxOffset, true);
  view.setFloat32(112, spec.slope ?? 1, true);
  view.setFloat32(116, spec.intercept ?? 0, true);
  bytes[123] = unitsMm;
  view.setFloat32(124, spec.calMax ?? 0, true);
  view.setFloat32(128, spec.calMin ?? 0, true);
  bytes.set(new TextEncoder().encode(spec.description.replace(/[^\x20-\x7e]/g, '?').slice(0, 79)), 148);
  const affine = rasAffineOf(geometry);
  view.setInt16(252, scannerAnatCode, true);
  view.setInt16(254, scannerAnatCode, true);
  [quaternion.b, quaternion.c, quaternion.d, ...affine.offset].forEach((v, i) => view.setFloat32(256 + i * 4, v, true));
  for (let r = 0; r < 3; r++) {
    const values = [affine.columns[0][r], affine.columns[1][r], affine.columns[2][r], affine.offset[r]];
    values.forEach((v, c) => view.setFloat32(280 + r * 16 + c * 4, v ?? 0, true));
  }
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  return bytes;
}
