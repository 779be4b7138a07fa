/**
 * How the series list and the import report word a series: DICOM dates as
 * ISO dates, the voxel grid as columns × rows × slices, problems as a count.
 */
import type { SeriesSummary } from '../../src-main/shared/contract/series';

/** `20140311` (DICOM DA) or `2014-03-11` as `2014-03-11`; null when the files give no date. */
export function formatStudyDate(value: string): string | null {
  const trimmed = value.trim();
  const dicom = /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (dicom !== null) return `${dicom[1]}-${dicom[2]}-${dicom[3]}`;
  return trimmed.length > 0 ? trimmed : null;
}

/** `256 × 256 × 20`, from the geometry when there is one. */
export function formatDimensions(entry: SeriesSummary): string {
  const [columns, rows, slices] = entry.geometry?.dimensions ?? [entry.columns, entry.rows, entry.sliceCount];
  return `${columns} × ${rows} × ${slices}`;
}

/** `20 slices`, `1 slice`. */
export function formatSliceCount(count: number): string {
  return `${count} ${count === 1 ? 'slice' : 'slices'}`;
}

/** `1 problem`, `3 problems`. */
export function formatProblemCount(count: number): string {
  return `${count} ${count === 1 ? 'problem' : 'problems'}`;
}

/** What a non-image series holds, for its row. */
export const kindLabels: Readonly<Record<SeriesSummary['kind'], string>> = {
  image: 'Images',
  segmentation: 'Segmentation (SEG)',
  rtstruct: 'RT structure set',
  'structured-report': 'Structured report',
  other: 'Other object',
};

/** A DICOM person name (`Family^Given`) as people write it. */
export function formatPersonName(value: string): string {
  const parts = value.split('^').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) return 'Name not recorded';
  const [family, given, ...rest] = parts;
  return [family, [given, ...rest].filter((part) => part !== undefined).join(' ')].filter((part) => part !== undefined && part.length > 0).join(', ');
}
