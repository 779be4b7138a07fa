/**
 * The files of an evaluation: the image (a DICOM series folder or file, or a
 * NIfTI file, read by the import code without touching the workspace) and
 * its truth (a NIfTI label map placed onto the image's grid through its
 * affine; refused with the differences when it does not cover the same
 * voxels). DICOM-SEG truth is not read yet.
 */
import path from 'node:path';
import { isNiftiPath } from '../dicom/niftiVolume';
import { readNiftiLabelMapOntoGrid } from '../dicom/niftiLabelMap';
import type { SeriesGeometry } from '../shared/contract/series';
import { loadImageInput } from '../trainer/jobs/imageInput';
import type { EvalCase } from './evalRun';

/** An evaluation case read from files, with the image's grid. */
export interface LoadedEvalCase extends EvalCase {
  readonly geometry: SeriesGeometry;
  readonly imagePath: string;
  readonly truthPath: string;
}

/** Reads the image and the truth; errors name the file and the cause. */
export async function loadEvalCase(imagePath: string, truthPath: string, workspaceDir: string): Promise<LoadedEvalCase> {
  const truthAbsolute = path.resolve(truthPath);
  if (!isNiftiPath(truthAbsolute)) throw new Error(`${truthAbsolute}: the truth must be a NIfTI label map (.nii or .nii.gz); DICOM-SEG truth is not supported yet.`);
  const input = await loadImageInput({ path: imagePath }, workspaceDir);
  const { geometry, voxels } = input.volume;
  const truth = await readNiftiLabelMapOntoGrid(truthAbsolute, geometry);
  const [width, height, depth] = geometry.dimensions;
  return { image: voxels, truth, width, height, depth, geometry, imagePath: input.path ?? imagePath, truthPath: truthAbsolute };
}
