/**
 * The files of an evaluation: the image (a DICOM series folder or file, or a
 * NIfTI file, read by the import code without touching the workspace) and
 * its truth (a NIfTI label map placed onto the image's grid through its
 * affine; refused with the differences when it does not cover the same
 * voxels), or a DICOM-SEG of a DICOM image (frames placed on the series'
 * slices by referenced instance or position, as the app's SEG import does;
 * segment numbers become the labels).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isNiftiPath } from '../nifti/niftiVolume';
import { readNiftiLabelMapOntoGrid } from '../nifti/niftiLabelMap';
import { readSeg } from '../dicom/seg/segReader';
import { readSegSource } from '../dicom/seg/segSource';
import { segToGrid } from '../dicom/seg/segToGrid';
import type { SeriesGeometry } from '../shared/contract/series';
import { loadImageInput, type ImageInput } from '../trainer/jobs/imageInput';
import type { EvalCase } from './evalRun';

/** An evaluation case read from files, with the image's grid. */
export interface LoadedEvalCase extends EvalCase {
  readonly geometry: SeriesGeometry;
  readonly imagePath: string;
  readonly truthPath: string;
}

/** The truth label per voxel of a DICOM-SEG made on the image's DICOM series (label = segment number). */
async function readSegTruth(truthPath: string, input: ImageInput): Promise<Uint8Array> {
  const entry = input.entry;
  if (entry === null || entry.summary.source !== 'dicom' || entry.summary.geometry === null) {
    throw new Error(`${truthPath}: a DICOM-SEG truth needs a DICOM image series as --image (it refers to its slices).`);
  }
  const source = await readSegSource(entry.slices.map((slice) => ({ path: slice.path, frame: slice.frame })), {
    seriesInstanceUid: entry.summary.seriesInstanceUid,
    geometry: entry.summary.geometry,
  });
  return segToGrid(await readSeg(truthPath), source).labels;
}

/** Reads the image and the truth (NIfTI label map or DICOM-SEG); errors name the file and the cause. */
export async function loadEvalCase(imagePath: string, truthPath: string, workspaceDir: string): Promise<LoadedEvalCase> {
  const truthAbsolute = path.resolve(truthPath);
  if (!existsSync(truthAbsolute)) throw new Error(`No such truth file: ${truthAbsolute}`);
  const input = await loadImageInput({ path: imagePath }, workspaceDir);
  const { geometry, voxels } = input.volume;
  const truth = isNiftiPath(truthAbsolute) ? await readNiftiLabelMapOntoGrid(truthAbsolute, geometry) : await readSegTruth(truthAbsolute, input);
  const [width, height, depth] = geometry.dimensions;
  return { image: voxels, truth, width, height, depth, geometry, imagePath: input.path ?? imagePath, truthPath: truthAbsolute };
}
