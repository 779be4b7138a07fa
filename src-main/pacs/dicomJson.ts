/**
 * Reading QIDO-RS answers (the DICOM JSON model: an array of objects keyed by
 * tag, each `{ vr, Value }`) into the values the search lists show. Anything
 * that is not that shape is refused, so a broken server gives a clear
 * "malformed answer" instead of empty rows.
 */
import { z } from 'zod';

const attributeSchema = z.object({ vr: z.string(), Value: z.array(z.unknown()).optional() }).passthrough();
export const dicomJsonDatasetSchema = z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/), attributeSchema);
export const dicomJsonArraySchema = z.array(dicomJsonDatasetSchema);
export type DicomJsonDataset = z.infer<typeof dicomJsonDatasetSchema>;

/** The first value of `tag` as text (a person name's Alphabetic form); '' when absent. */
export function textOf(dataset: DicomJsonDataset, tag: string): string {
  const first = dataset[tag]?.Value?.[0];
  if (first === undefined || first === null) return '';
  if (typeof first === 'string') return first;
  if (typeof first === 'number') return String(first);
  if (typeof first === 'object' && 'Alphabetic' in first && typeof first.Alphabetic === 'string') return first.Alphabetic;
  return '';
}

/** Every value of `tag` as text. */
export function textsOf(dataset: DicomJsonDataset, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).filter((value): value is string | number => typeof value === 'string' || typeof value === 'number').map(String);
}

/** The first value of `tag` as an integer; null when absent or not a number. */
export function integerOf(dataset: DicomJsonDataset, tag: string): number | null {
  const value = Number(textOf(dataset, tag));
  return textOf(dataset, tag) !== '' && Number.isInteger(value) ? value : null;
}

/** The items of a sequence attribute. */
export function itemsOf(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  const parsed = z.array(dicomJsonDatasetSchema).safeParse(dataset[tag]?.Value ?? []);
  return parsed.success ? parsed.data : [];
}

/** Tags the search lists use. */
export const tags = {
  studyDate: '00080020',
  accessionNumber: '00080050',
  modalitiesInStudy: '00080061',
  modality: '00080060',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  patientName: '00100010',
  patientId: '00100020',
  studyInstanceUid: '0020000D',
  seriesInstanceUid: '0020000E',
  sopInstanceUid: '00080018',
  sopClassUid: '00080016',
  seriesNumber: '00200011',
  instanceNumber: '00200013',
  numberOfStudyRelatedSeries: '00201206',
  numberOfStudyRelatedInstances: '00201208',
  numberOfSeriesRelatedInstances: '00201209',
  failureReason: '00081197',
  warningReason: '00081196',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  referencedSopInstanceUid: '00081155',
} as const;
