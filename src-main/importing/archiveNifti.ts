/**
 * NIfTI volumes found in an archive folder beside its DICOM series, as
 * archive series for pre-training: one series per file (its first volume,
 * as the import does), slices in file order along the third axis with
 * p = (k + 1) / n. Files that cannot be read are returned with the reason.
 */
import path from 'node:path';
import type { ArchiveSeries } from './archiveSeries';
import { isCancelled, type CancelLike } from '../shared/cancellation';
import { niftiSeriesId } from './niftiSeries';
import { isNiftiPath, readNifti } from '../nifti/niftiVolume';

/** The NIfTI files among `files` as series, and every other file with why it is not used. */
export async function niftiArchiveSeries(root: string, files: readonly string[], signal?: CancelLike): Promise<{ series: ArchiveSeries[]; leftOut: string[] }> {
  const series: ArchiveSeries[] = [];
  const leftOut: string[] = [];
  for (const file of files) {
    if (isCancelled(signal)) break;
    const name = path.relative(root, file);
    if (!isNiftiPath(file)) {
      leftOut.push(`${name}: neither DICOM nor NIfTI (.nii, .nii.gz)`);
      continue;
    }
    try {
      const nifti = await readNifti(file);
      const geometry = nifti.grid.geometry;
      const [nx, ny, nz] = geometry.dimensions;
      const volumes = nifti.header.dims[3] ?? 1;
      series.push({
        seriesId: niftiSeriesId(file),
        source: 'nifti',
        kind: 'image',
        studyInstanceUid: '',
        seriesInstanceUid: '',
        modality: '',
        description: volumes > 1 ? `${name} (first of ${volumes} volumes)` : name,
        rows: ny,
        columns: nx,
        sliceCount: nz,
        geometry,
        problems: nifti.grid.problems,
        slices: Array.from({ length: nz }, (_, k) => ({ path: file, frame: null, positionMm: null, index: k, relativePosition: (k + 1) / nz })),
      });
    } catch (thrown) {
      leftOut.push(`${name}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  }
  return { series, leftOut };
}
