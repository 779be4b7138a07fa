/**
 * NIfTI-1 label maps of a series, for research pipelines: written on the
 * series' own sorted grid (uint8, affine = the series' converted to RAS), and
 * read back from any NIfTI whose voxels are the series' voxels, however its
 * axes are ordered or flipped (mapped through its affine; refused, with the
 * differences, when the grids do not match).
 */
import type { SeriesGeometry } from '../shared/contract/series';
import { maxSegmentLabel } from '../shared/contract/labels';
import { checkVoxelCount, writeNiftiFile } from './niftiFileWrite';
import { niftiAffine } from './niftiGeometry';
import { niftiHeaderBytes, niftiIntentLabel } from './niftiHeaderWriter';
import { niftiScaling, niftiValueReader, readNifti } from './niftiVolume';
import { mapGridOnto, type AffineGrid } from '../shared/geometry/gridMapping';
import type { Vec3 } from '../shared/geometry/vec3';

const rasToLps = (v: readonly number[]): Vec3 => [-(v[0] ?? 0), -(v[1] ?? 0), v[2] ?? 0];

/**
 * Writes `labels` (flat index i + j*nx + k*nx*ny of the series' sorted grid)
 * as a uint8 NIfTI-1 label map, .nii or .nii.gz by the name, atomically.
 */
export async function writeNiftiLabelMap(file: string, labels: Uint8Array, geometry: SeriesGeometry): Promise<void> {
  checkVoxelCount(labels.length, geometry, `The label map for ${file}`);
  let calMax = 0;
  for (const value of labels) if (value > calMax) calMax = value;
  const header = niftiHeaderBytes({ geometry, datatype: 2, intentCode: niftiIntentLabel, calMin: 0, calMax, description: 'MACL label map' });
  await writeNiftiFile(file, header, labels);
}

/** Distinct offending values counted one by one; beyond this only the total (a float image has millions). */
const distinctBadValuesKept = 100;

/** Describes the most frequent offending values with their voxel counts. */
function describeBadValues(bad: Map<number, number>, total: number): string {
  const shown = [...bad.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([value, n]) => `${value} (${n} voxel${n === 1 ? '' : 's'})`);
  return `${total} ${total === 1 ? 'voxel holds a value' : 'voxels hold values'} that are not labels 0..${maxSegmentLabel}: ${shown.join(', ')}${shown.length < bad.size || bad.size === distinctBadValuesKept ? ', …' : ''}`;
}

/**
 * Reads the label map `file` (.nii or .nii.gz, any datatype holding integers
 * 0..254) onto the series grid `geometry`: the result is in the series' flat
 * order. Throws, naming the file, when it has no orientation, does not cover
 * the same voxel centres (saying how the grids differ), or holds other values.
 */
export async function readNiftiLabelMapOntoGrid(file: string, geometry: SeriesGeometry): Promise<Uint8Array> {
  const nifti = await readNifti(file);
  const { header } = nifti;
  const [ni = 1, nj = 1, nk = 1, nt = 1] = header.dims;
  if (header.dims.slice(3).some((n) => n > 1)) throw new Error(`${file} holds ${nt} volumes (${header.dims.join('x')}): a label map has one`);
  const affine = niftiAffine(header);
  if (affine.source === 'pixdim') throw new Error(`${file} has no orientation (sform_code and qform_code are both 0), so it cannot be placed on the series grid`);
  const grid: AffineGrid = { dimensions: [ni, nj, nk], columns: [rasToLps(affine.columns[0]), rasToLps(affine.columns[1]), rasToLps(affine.columns[2])], offset: rasToLps(affine.offset) };
  const mapped = mapGridOnto(grid, geometry);
  if ('differences' in mapped) throw new Error(`${file} does not cover the voxels of the series (by its ${affine.source}): ${mapped.differences.join('; ')}`);
  const { start, steps } = mapped.mapping;
  const offset = Math.round(header.voxOffset);
  const view = new DataView(nifti.bytes.buffer, nifti.bytes.byteOffset + offset, nifti.bytes.byteLength - offset);
  const read = niftiValueReader(view, header.datatype, header.littleEndian);
  const { slope, intercept } = niftiScaling(header);
  const out = new Uint8Array(ni * nj * nk);
  const bad = new Map<number, number>();
  let badTotal = 0;
  let source = 0;
  for (let c = 0; c < nk; c++) {
    for (let b = 0; b < nj; b++) {
      let target = start + b * steps[1] + c * steps[2];
      for (let a = 0; a < ni; a++, source++, target += steps[0]) {
        const value = read(source) * slope + intercept;
        if (Number.isInteger(value) && value >= 0 && value <= maxSegmentLabel) out[target] = value;
        else {
          badTotal++;
          if (bad.size < distinctBadValuesKept || bad.has(value)) bad.set(value, (bad.get(value) ?? 0) + 1);
        }
      }
    }
  }
  if (badTotal > 0) throw new Error(`${file}: ${describeBadValues(bad, badTotal)}`);
  return out;
}
