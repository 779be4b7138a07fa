/**
 * Finds a NIfTI series' file under a folder after it moved: a NIfTI of the
 * same name whose grid (dimensions, spacing, origin, directions) is the one
 * indexed. The series keeps its id (derived from the old path), so its labels
 * stay attached.
 */
import path from 'node:path';
import type { SeriesGeometry } from '../shared/contract/series';
import type { IndexedSeries } from '../workspace/seriesIndex';
import { walkFiles } from './fileWalker';
import { readNifti } from '../nifti/niftiVolume';
import type { RelocateOutcome } from './relocateOutcome';

const sameNumbers = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? NaN)) <= 1e-4);

function sameGrid(a: SeriesGeometry, b: SeriesGeometry): boolean {
  return sameNumbers(a.dimensions, b.dimensions) && sameNumbers(a.spacingMm, b.spacingMm) && sameNumbers(a.originMm, b.originMm) && a.direction.every((axis, n) => sameNumbers(axis, b.direction[n] ?? []));
}

/** The indexed NIfTI file found again under `folder`, or why not. */
export async function relocateNiftiFile(entry: IndexedSeries, folder: string): Promise<RelocateOutcome> {
  const old = entry.slices[0];
  const geometry = entry.summary.geometry;
  if (old === undefined || geometry === null) return { refused: `Series ${entry.summary.seriesId} has no file or grid in the index.`, code: 'not-found' };
  const name = path.basename(old.path);
  const walk = await walkFiles([folder]);
  const sameName = walk.files.filter((file) => path.basename(file) === name);
  for (const file of sameName) {
    try {
      if (sameGrid((await readNifti(file)).grid.geometry, geometry)) return { slices: [{ ...old, path: file }] };
    } catch {
      // An unreadable namesake is simply not the file; the message below counts it.
    }
  }
  const others = sameName.length === 0 ? 'no file of that name is there' : `${sameName.length} file${sameName.length === 1 ? '' : 's'} of that name ${sameName.length === 1 ? 'is' : 'are'} there, with another grid or unreadable`;
  return { refused: `${name} (the NIfTI of series ${entry.summary.description}) is not under ${folder}: ${others}. Nothing was changed.`, code: 'not-found' };
}
