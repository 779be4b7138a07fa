/**
 * Training labels for fine-tuning, on the image's sorted grid (index
 * i + j*nx + k*nx*ny), as int32 class values with -1 = unlabelled. Two
 * sources:
 * - the workspace label file of a series (.macl-labels, src-main/labels):
 *   a stroke 1..254 is that class, a background stroke (255) is class 0,
 *   else an accepted label 1..254; unpainted and erased voxels are unlabelled;
 * - a NIfTI label map (.nii, .nii.gz) covering the image's voxels (any axis
 *   order, mapped through its affine like the label import): 0..254 are
 *   classes (0 = background), -1 and 255 are unlabelled.
 */
import path from 'node:path';
import type { SeriesGeometry } from '../../shared/contract/series';
import { backgroundStrokeValue, maxSegmentLabel } from '../../shared/contract/labels';
import { applyRuns } from '../../shared/labels/labelRuns';
import { mapGridOnto, type AffineGrid } from '../../shared/geometry/gridMapping';
import { niftiAffine } from '../../nifti/niftiGeometry';
import { isNiftiPath, niftiScaling, niftiValueReader, readNifti } from '../../nifti/niftiVolume';
import { readLabelFile } from '../../labels/labelFileIo';
import { labelFileExtension } from '../../labels/labelPaths';

/** Labels per voxel and how many voxels each class has. */
export interface TrainingLabels {
  readonly labels: Int32Array;
  /** Labelled voxels per class value. */
  readonly counts: ReadonlyMap<number, number>;
}

/** Marks a voxel no loss is computed for. */
export const unlabelled = -1;

function countClasses(labels: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of labels) if (value >= 0) counts.set(value, (counts.get(value) ?? 0) + 1);
  return new Map([...counts.entries()].sort((a, b) => a[0] - b[0]));
}

/** Labels from the two layers of a workspace label file (see the module comment). */
export function labelsFromLayers(strokes: Uint8Array, accepted: Uint8Array): Int32Array {
  const out = new Int32Array(strokes.length).fill(unlabelled);
  for (let i = 0; i < strokes.length; i++) {
    const stroke = strokes[i] ?? 0;
    const kept = accepted[i] ?? 0;
    if (stroke === backgroundStrokeValue) out[i] = 0;
    else if (stroke !== 0) out[i] = stroke;
    else if (kept !== 0 && kept <= maxSegmentLabel) out[i] = kept;
  }
  return out;
}

async function readWorkspaceLabels(file: string, geometry: SeriesGeometry): Promise<Int32Array> {
  const read = await readLabelFile(file);
  if (read.kind === 'missing') throw new Error(`No labels file at ${file}.`);
  if (read.kind === 'corrupt') throw new Error(read.problem);
  const { content } = read;
  const [nx, ny, nz] = geometry.dimensions;
  if (content.dimensions.join() !== [nx, ny, nz].join()) {
    throw new Error(`${file} covers a ${content.dimensions.join('x')} grid, the image is ${nx}x${ny}x${nz}.`);
  }
  const strokes = new Uint8Array(nx * ny * nz);
  const accepted = new Uint8Array(nx * ny * nz);
  applyRuns(strokes, content.strokes);
  applyRuns(accepted, content.accepted);
  return labelsFromLayers(strokes, accepted);
}

const rasToLps = (v: readonly number[]): [number, number, number] => [-(v[0] ?? 0), -(v[1] ?? 0), v[2] ?? 0];

async function readNiftiTrainingLabels(file: string, geometry: SeriesGeometry): Promise<Int32Array> {
  const nifti = await readNifti(file);
  const { header } = nifti;
  const [ni = 1, nj = 1, nk = 1] = header.dims;
  if (header.dims.slice(3).some((n) => n > 1)) throw new Error(`${file} holds several volumes (${header.dims.join('x')}): a label map has one.`);
  const affine = niftiAffine(header);
  if (affine.source === 'pixdim') throw new Error(`${file} has no orientation (sform_code and qform_code are both 0), so it cannot be placed on the image grid.`);
  const grid: AffineGrid = { dimensions: [ni, nj, nk], columns: [rasToLps(affine.columns[0]), rasToLps(affine.columns[1]), rasToLps(affine.columns[2])], offset: rasToLps(affine.offset) };
  const mapped = mapGridOnto(grid, geometry);
  if ('differences' in mapped) throw new Error(`${file} does not cover the voxels of the image (by its ${affine.source}): ${mapped.differences.join('; ')}.`);
  const { start, steps } = mapped.mapping;
  const offset = Math.round(header.voxOffset);
  const view = new DataView(nifti.bytes.buffer, nifti.bytes.byteOffset + offset, nifti.bytes.byteLength - offset);
  const read = niftiValueReader(view, header.datatype, header.littleEndian);
  const { slope, intercept } = niftiScaling(header);
  const out = new Int32Array(ni * nj * nk).fill(unlabelled);
  let source = 0;
  let bad: number | null = null;
  let badCount = 0;
  for (let c = 0; c < nk; c++) {
    for (let b = 0; b < nj; b++) {
      let target = start + b * steps[1] + c * steps[2];
      for (let a = 0; a < ni; a++, source++, target += steps[0]) {
        const value = read(source) * slope + intercept;
        if (value === -1 || value === 255) continue;
        if (Number.isInteger(value) && value >= 0 && value <= maxSegmentLabel) out[target] = value;
        else {
          bad ??= value;
          badCount++;
        }
      }
    }
  }
  if (badCount > 0) throw new Error(`${file}: ${badCount} voxels hold values that are neither classes 0..${maxSegmentLabel} nor unlabelled (-1 or 255), e.g. ${bad}.`);
  return out;
}

/** Reads the training labels in `file` onto the image grid `geometry`; see the module comment. */
export async function readTrainingLabels(file: string, geometry: SeriesGeometry): Promise<TrainingLabels> {
  const absolute = path.resolve(file);
  let labels: Int32Array;
  if (absolute.endsWith(labelFileExtension)) labels = await readWorkspaceLabels(absolute, geometry);
  else if (isNiftiPath(absolute)) labels = await readNiftiTrainingLabels(absolute, geometry);
  else throw new Error(`${absolute}: labels must be a NIfTI label map (.nii, .nii.gz) or a workspace labels file (${labelFileExtension}).`);
  const counts = countClasses(labels);
  if (counts.size === 0) throw new Error(`${absolute} labels no voxel (every voxel is unlabelled).`);
  return { labels, counts };
}
