/**
 * NIfTI orientation to DICOM geometry. The voxel-to-world affine comes from
 * the sform when sform_code > 0, else the qform (quaternion) when
 * qform_code > 0, else pixdim alone (Analyze-style, reported as a problem).
 * NIfTI world space is RAS; DICOM's is LPS: x and y change sign.
 *
 * The grid is then read in DICOM's convention, so a NIfTI made from a DICOM
 * series (dcm2niix) gets that series' geometry: the slice normal must be
 * row × column; when the NIfTI axes are left-handed (dcm2niix flips the
 * rows), the j axis is read backwards.
 */
import type { SeriesGeometry, SeriesProblem } from '../shared/contract/series';
import type { NiftiHeader } from './niftiHeader';
import { orientationLabel } from '../shared/geometry/seriesGeometry';
import { add, cross, dot, norm, roundVec, scale, type Vec3 } from '../shared/geometry/vec3';

export interface NiftiGrid {
  readonly geometry: SeriesGeometry;
  /** True when storage row j maps to geometry row (nj - 1 - j). */
  readonly flipJ: boolean;
  readonly problems: SeriesProblem[];
}

/** Columns of the 3x3 part and the offset of the voxel-to-RAS affine, with the source used. */
export function niftiAffine(header: NiftiHeader): { columns: [Vec3, Vec3, Vec3]; offset: Vec3; source: 'sform' | 'qform' | 'pixdim' } {
  const [, dx = 1, dy = 1, dz = 1] = header.pixdim.map((value) => (Number.isFinite(value) && value !== 0 ? Math.abs(value) : 1));
  if (header.sformCode > 0) {
    const [x, y, z] = header.srow;
    const col = (c: number): Vec3 => [x[c] ?? 0, y[c] ?? 0, z[c] ?? 0];
    return { columns: [col(0), col(1), col(2)], offset: col(3), source: 'sform' };
  }
  if (header.qformCode > 0) {
    const [b, c, d] = header.quatern;
    const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
    const qfac = header.pixdim[0] === -1 ? -1 : 1;
    const r: [Vec3, Vec3, Vec3] = [
      [a * a + b * b - c * c - d * d, 2 * (b * c + a * d), 2 * (b * d - a * c)],
      [2 * (b * c - a * d), a * a + c * c - b * b - d * d, 2 * (c * d + a * b)],
      [2 * (b * d + a * c), 2 * (c * d - a * b), a * a + d * d - c * c - b * b],
    ];
    return { columns: [scale(r[0], dx), scale(r[1], dy), scale(r[2], dz * qfac)], offset: [...header.qoffset], source: 'qform' };
  }
  return { columns: [[dx, 0, 0], [0, dy, 0], [0, 0, dz]], offset: [0, 0, 0], source: 'pixdim' };
}

const rasToLps = (v: Vec3): Vec3 => [-v[0], -v[1], v[2]];

/** The DICOM-convention geometry of a NIfTI grid (see the module comment). */
export function niftiGrid(header: NiftiHeader): NiftiGrid {
  const [ni = 1, nj = 1, nk = 1] = header.dims;
  const affine = niftiAffine(header);
  const ci = rasToLps(affine.columns[0]);
  const cj = rasToLps(affine.columns[1]);
  const ck = rasToLps(affine.columns[2]);
  const si = norm(ci);
  const sj = norm(cj);
  const sk = norm(ck);
  if (!(si > 0 && sj > 0 && sk > 0)) throw new Error('NIfTI affine has a zero-length axis');
  const ui = scale(ci, 1 / si);
  let uj = scale(cj, 1 / sj);
  const uk = scale(ck, 1 / sk);
  let origin = rasToLps(affine.offset);
  const flipJ = dot(cross(ui, uj), uk) < 0;
  if (flipJ) {
    origin = add(origin, scale(cj, nj - 1));
    uj = scale(uj, -1);
  }
  const normal = cross(ui, uj);
  const problems: SeriesProblem[] = [];
  if (affine.source === 'pixdim') problems.push({ code: 'no-geometry', message: 'NIfTI has neither sform nor qform (both codes 0): voxel sizes only, orientation unknown.' });
  if (Math.abs(dot(normal, uk)) < 0.9999) problems.push({ code: 'other', message: 'NIfTI axes are not orthogonal (sheared affine): the volume is shown unsheared.' });
  if ((header.dims[3] ?? 1) > 1) problems.push({ code: 'other', message: `4-D NIfTI: only the first of ${header.dims[3] ?? 1} volumes is used.` });
  return {
    geometry: {
      dimensions: [ni, nj, nk],
      spacingMm: [si, sj, sk],
      originMm: [...roundVec(origin)],
      direction: [[...roundVec(ui, 9)], [...roundVec(uj, 9)], [...roundVec(normal, 9)]],
      orientation: orientationLabel(normal),
    },
    flipJ,
    problems,
  };
}
