/**
 * QIDO-RS searches for the PACS panel and `macl pacs search`: a study query
 * (patient name or ID, accession, date range, modality) paged with
 * limit/offset, and the series of one study, read from DICOM JSON.
 */
import type { SeriesMatch, StudyMatch, StudyQuery } from '../shared/contract/pacs';
import { integerOf, tags, textOf, textsOf, type DicomJsonDataset } from './dicomJson';
import type { PacsClient } from './pacsClient';

const dicomDate = (value: string): string => value.replaceAll('-', '');

/** The QIDO-RS query parameters of a study search. */
export function studyQueryParams(query: StudyQuery): Record<string, string> {
  const params: Record<string, string> = {
    limit: String(query.limit),
    offset: String(query.offset),
    includefield: [tags.studyDescription, tags.modalitiesInStudy, tags.numberOfStudyRelatedSeries, tags.numberOfStudyRelatedInstances].join(','),
  };
  // Names and IDs match as typed, plus anything after: "DOE" finds "DOE^JOHN".
  if (query.patientName !== undefined && query.patientName.trim() !== '') params.PatientName = `${query.patientName.trim()}*`;
  if (query.patientId !== undefined && query.patientId.trim() !== '') params.PatientID = query.patientId.trim();
  if (query.accessionNumber !== undefined && query.accessionNumber.trim() !== '') params.AccessionNumber = query.accessionNumber.trim();
  if (query.modality !== undefined && query.modality !== '') params.ModalitiesInStudy = query.modality;
  const from = query.studyDateFrom === undefined ? '' : dicomDate(query.studyDateFrom);
  const to = query.studyDateTo === undefined ? '' : dicomDate(query.studyDateTo);
  if (from !== '' || to !== '') params.StudyDate = from === to ? from : `${from}-${to}`;
  return params;
}

export function studyMatchOf(dataset: DicomJsonDataset): StudyMatch {
  return {
    studyInstanceUid: textOf(dataset, tags.studyInstanceUid),
    patientName: textOf(dataset, tags.patientName),
    patientId: textOf(dataset, tags.patientId),
    studyDate: textOf(dataset, tags.studyDate),
    accessionNumber: textOf(dataset, tags.accessionNumber),
    description: textOf(dataset, tags.studyDescription),
    modalities: textsOf(dataset, tags.modalitiesInStudy),
    seriesCount: integerOf(dataset, tags.numberOfStudyRelatedSeries),
    instanceCount: integerOf(dataset, tags.numberOfStudyRelatedInstances),
  };
}

/** A series row; `inWorkspace` is false until the caller checks the store. */
export function seriesMatchOf(dataset: DicomJsonDataset): SeriesMatch {
  const seriesInstanceUid = textOf(dataset, tags.seriesInstanceUid);
  const instanceCount = integerOf(dataset, tags.numberOfSeriesRelatedInstances);
  return {
    studyInstanceUid: textOf(dataset, tags.studyInstanceUid),
    seriesInstanceUid,
    modality: textOf(dataset, tags.modality),
    description: textOf(dataset, tags.seriesDescription),
    seriesNumber: integerOf(dataset, tags.seriesNumber),
    instanceCount,
    inWorkspace: false,
  };
}

/** One page of studies; `more` when the page came back full. */
export async function searchStudies(client: PacsClient, query: StudyQuery, signal?: AbortSignal): Promise<{ studies: StudyMatch[]; more: boolean }> {
  const found = await client.searchStudies(studyQueryParams(query), signal);
  // A server may ignore limit; never show more than a page.
  return { studies: found.slice(0, query.limit).map(studyMatchOf), more: found.length >= query.limit };
}

/** The series of one study, sorted by series number. */
export async function searchSeries(client: PacsClient, studyInstanceUid: string, signal?: AbortSignal): Promise<SeriesMatch[]> {
  const found = await client.searchSeries(studyInstanceUid, { includefield: [tags.seriesDescription, tags.numberOfSeriesRelatedInstances].join(',') }, signal);
  return found.map(seriesMatchOf).sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0));
}
