/**
 * What kind of object a DICOM file holds, from its SOP Class UID (and the
 * modality when the class is unusual). Only `image` series open in the viewer.
 */
import type { SeriesSummary } from '../../shared/contract/series';

export type ObjectKind = SeriesSummary['kind'];

const segmentationClass = '1.2.840.10008.5.1.4.1.1.66.4';
const rtStructureSetClass = '1.2.840.10008.5.1.4.1.1.481.3';
const structuredReportPrefix = '1.2.840.10008.5.1.4.1.1.88.';
/**
 * Media Storage Directory (DICOMDIR): an index of other files, not an object
 * to import; skipped (counted with the non-DICOM files), the walk finds the
 * files it lists.
 */
export const mediaStorageDirectoryClass = '1.2.840.10008.1.3.10';

/** Classifies one object; `hasImage` says it has Rows, Columns, bits and pixel data. */
export function classifyObject(sopClassUid: string, modality: string, hasImage: boolean): ObjectKind {
  if (sopClassUid === segmentationClass || modality === 'SEG') return 'segmentation';
  if (sopClassUid === rtStructureSetClass || modality === 'RTSTRUCT') return 'rtstruct';
  if (sopClassUid.startsWith(structuredReportPrefix) || modality === 'SR') return 'structured-report';
  return hasImage ? 'image' : 'other';
}
