/**
 * The DICOM-SEG file name offered by default, from the series description
 * and number (`SEG_900_Brain_mask.dcm`): the export dialog shows it for the
 * user to keep or change, and the app uses it when none is given.
 */

/** `SEG_<number>_<description as safe characters>.dcm`. */
export function defaultSegFileName(description: string, seriesNumber: number): string {
  const slug = description.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'segmentation';
  return `SEG_${seriesNumber}_${slug}.dcm`;
}

/** Why `name` cannot name a file in the chosen folder, or null. A missing extension is not a problem (`.dcm` is added). */
export function segFileNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Type a file name.';
  if (/[/\\]/.test(trimmed)) return 'The file name must not contain / or \\: type the folder in its own field.';
  if (trimmed === '.' || trimmed === '..') return `"${trimmed}" is not a file name.`;
  if (trimmed.length > 200) return 'The file name is longer than 200 characters.';
  return null;
}

/** The name as written: trimmed, with `.dcm` added unless it already ends in .dcm. */
export function segFileNameWithExtension(name: string): string {
  const trimmed = name.trim();
  return /\.dcm$/i.test(trimmed) ? trimmed : `${trimmed}.dcm`;
}
