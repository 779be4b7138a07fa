/**
 * Where label files live in the workspace: one file per series,
 * `<workspace>/labels/<safe series id>.macl-labels`. Series ids are DICOM
 * UIDs (with `#n` for split series) or `nifti:<path>`, so the name keeps the
 * id's safe characters for people and adds a hash of the whole id so that two
 * ids that clean up alike never share a file.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { workspacePaths } from '../workspace/workspacePaths';

/** The extension of a label file. */
export const labelFileExtension = '.macl-labels';

/** The folder holding every series' label file. */
export function labelsDirOf(workspaceDir: string): string {
  return path.join(workspacePaths(workspaceDir).root, 'labels');
}

/** A file name for `seriesId` that is safe on every platform and unique per id. */
export function labelFileName(seriesId: string): string {
  const readable = seriesId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  const hash = createHash('sha256').update(seriesId).digest('hex').slice(0, 12);
  return `${readable === '' ? 'series' : readable}-${hash}${labelFileExtension}`;
}

/** The label file of `seriesId` in the workspace `workspaceDir`. */
export function labelFilePath(workspaceDir: string, seriesId: string): string {
  return path.join(labelsDirOf(workspaceDir), labelFileName(seriesId));
}
