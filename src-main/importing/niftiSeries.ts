/**
 * A NIfTI file as an imported series: one series per file (the first volume
 * of a 4-D file), id `nifti:<hash of its absolute path>`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { seriesIdSchema, type SeriesSummary } from '../shared/contract/series';
import type { IndexedSeries } from '../workspace/seriesIndex';
import { niftiVoxels, type NiftiFile } from '../nifti/niftiVolume';
import { thumbnailDataUrl } from '../dicom/pixels/thumbnail';

/** The stable series id of a NIfTI file. */
export function niftiSeriesId(file: string): string {
  return `nifti:${createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 24)}`;
}

/** The summary (and index entry) of a NIfTI file. */
export function niftiEntry(nifti: NiftiFile, withThumbnail: boolean, importedAt: string): IndexedSeries {
  const geometry = nifti.grid.geometry;
  const [nx, ny, nz] = geometry.dimensions;
  let thumbnail: string | null = null;
  if (withThumbnail) thumbnail = thumbnailDataUrl(niftiVoxels(nifti, [Math.floor(nz / 2)]), nx, ny, null);
  const summary: SeriesSummary = {
    seriesId: seriesIdSchema.parse(niftiSeriesId(nifti.path)),
    source: 'nifti',
    kind: 'image',
    patientName: '',
    patientId: '',
    studyDate: '',
    studyInstanceUid: '',
    seriesInstanceUid: '',
    seriesNumber: null,
    modality: '',
    description: nifti.header.description !== '' ? nifti.header.description : path.basename(nifti.path),
    sliceCount: nz,
    rows: ny,
    columns: nx,
    geometry,
    problems: nifti.grid.problems,
    thumbnail,
  };
  return { summary, slices: [{ path: nifti.path, frame: null, positionMm: null }], importedAt };
}
