/**
 * The contract's SeriesSummary for an assembled DICOM series.
 */
import { seriesIdSchema, type SeriesSummary } from '../../shared/contract/series';
import type { AssembledSeries } from './assembleSeries';

/** Slices for image series, frames for segmentations, 0 for other objects. */
export function sliceCountOf(series: AssembledSeries): number {
  if (series.kind === 'image') return series.slices.length;
  if (series.kind === 'segmentation') return series.slices.reduce((sum, slice) => sum + (slice.header.image?.numberOfFrames ?? 0), 0);
  return 0;
}

/** Builds the summary shown in the series list and printed by `macl inspect`. */
export function summaryOf(series: AssembledSeries, thumbnail: string | null): SeriesSummary {
  const header = series.header;
  return {
    seriesId: seriesIdSchema.parse(series.seriesId),
    source: 'dicom',
    kind: series.kind,
    patientName: header.patientName,
    patientId: header.patientId,
    studyDate: header.studyDate,
    studyInstanceUid: header.studyInstanceUid,
    seriesInstanceUid: header.seriesInstanceUid,
    seriesNumber: header.seriesNumber,
    modality: header.modality,
    description: header.seriesDescription,
    sliceCount: sliceCountOf(series),
    rows: series.rows,
    columns: series.columns,
    geometry: series.geometry,
    problems: series.problems,
    thumbnail,
  };
}
