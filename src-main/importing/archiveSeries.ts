/**
 * Series found in a scanned archive, for pre-training: each image series
 * sorted along its normal, every slice with its index k and relative
 * position p = (k + 1) / n (MACL's slice-position input).
 */
import path from 'node:path';
import type { SeriesGeometry, SeriesProblem } from '../shared/contract/series';
import { assembleSeries } from '../dicom/series/assembleSeries';
import type { DicomHeader } from '../dicom/header/dicomHeader';
import { sliceCountOf } from '../dicom/series/seriesSummary';

export interface ArchiveSlice {
  /** Absolute path of the file. */
  readonly path: string;
  /** 0-based frame for multi-frame files, else null. */
  readonly frame: number | null;
  /** Position along the slice normal (mm), null without geometry. */
  readonly positionMm: number | null;
  /** k: the slice's place in the sorted series (0-based). */
  readonly index: number;
  /** p = (k + 1) / n. */
  readonly relativePosition: number;
}

export interface ArchiveSeries {
  readonly seriesId: string;
  /** A DICOM series, or a NIfTI file (archiveNifti.ts; every slice then names the file). */
  readonly source: 'dicom' | 'nifti';
  readonly kind: DicomHeader['kind'];
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly modality: string;
  readonly description: string;
  readonly rows: number;
  readonly columns: number;
  readonly sliceCount: number;
  readonly geometry: SeriesGeometry | null;
  readonly problems: SeriesProblem[];
  readonly slices: ArchiveSlice[];
}

/** Groups archive headers (paths relative to `root`) into sorted series with slice positions. */
export function archiveSeriesOf(root: string, headers: readonly { path: string; header: DicomHeader }[]): ArchiveSeries[] {
  const absolute = headers.map((entry) => ({ path: path.resolve(root, entry.path), header: entry.header }));
  return assembleSeries(absolute).map((series) => {
    const n = series.slices.length;
    return {
      seriesId: series.seriesId,
      source: 'dicom' as const,
      kind: series.kind,
      studyInstanceUid: series.header.studyInstanceUid,
      seriesInstanceUid: series.header.seriesInstanceUid,
      modality: series.header.modality,
      description: series.header.seriesDescription,
      rows: series.rows,
      columns: series.columns,
      sliceCount: sliceCountOf(series),
      geometry: series.geometry,
      problems: series.problems,
      slices: series.slices.map((slice, k) => ({ path: slice.path, frame: slice.frame, positionMm: slice.positionMm, index: k, relativePosition: (k + 1) / n })),
    };
  });
}
