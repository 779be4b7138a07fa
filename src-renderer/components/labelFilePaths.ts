/**
 * Typed paths of label files, handled as text: the renderer has no file
 * system, and the paths are those of the machine that runs the app (POSIX or
 * Windows separators alike).
 */

/** What a label file holds, judged by its name. */
export type LabelFileKind = 'nifti' | 'seg';

/** 'nifti' for .nii/.nii.gz, 'seg' for .dcm/.dicom, else null (a DICOM file may have no extension at all). */
export function labelFileKindOf(path: string): LabelFileKind | null {
  const name = path.trim().toLowerCase();
  if (name.endsWith('.nii') || name.endsWith('.nii.gz')) return 'nifti';
  if (name.endsWith('.dcm') || name.endsWith('.dicom')) return 'seg';
  return null;
}

/** The folder part of a file path ('' when it has none). */
export function folderOf(path: string): string {
  const trimmed = path.trim();
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '';
  return cut === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, cut);
}

/** `name` inside `folder`, with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  const clean = folder.trim();
  if (clean === '') return name;
  const separator = clean.includes('\\') && !clean.includes('/') ? '\\' : '/';
  return clean.endsWith('/') || clean.endsWith('\\') ? `${clean}${name}` : `${clean}${separator}${name}`;
}

/** A file name from a series description: letters, digits, - and _ only. */
export function fileStem(description: string, fallback: string): string {
  const stem = description.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return stem === '' ? fallback : stem;
}

/** `labels.nii.gz` -> `labels_image.nii.gz`: the image offered beside a label map. */
export function imagePathBeside(labelsPath: string): string {
  const match = /^(.*?)(\.nii(?:\.gz)?)$/i.exec(labelsPath.trim());
  return match === null ? '' : `${match[1] ?? ''}_image${match[2] ?? '.nii.gz'}`;
}
