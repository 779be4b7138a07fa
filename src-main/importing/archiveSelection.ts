/**
 * Which series of an archive (a scanned folder or a PACS query) pre-training
 * can use, and why the others are left out. Pure, so the main process can
 * preview a PACS archive with the rules the job applies.
 */
import type { ArchiveSeries } from './archiveSeries';

/** Keeps the image series with geometry and at least `minSlices` slices; the rest are listed after `leftOut` with the reason. */
export function partitionArchiveSeries(found: readonly ArchiveSeries[], minSlices: number, leftOut: readonly string[]): { usable: ArchiveSeries[]; skipped: string[] } {
  const usable: ArchiveSeries[] = [];
  const skipped = [...leftOut];
  for (const series of found) {
    const name = series.source === 'nifti' ? series.description : series.seriesId;
    if (series.kind !== 'image') skipped.push(`${name}: a ${series.kind} object`);
    else if (series.geometry === null) skipped.push(`${name}: no slice geometry`);
    else if (series.sliceCount < minSlices) skipped.push(`${name}: ${series.sliceCount} slices (fewer than ${minSlices})`);
    else usable.push(series);
  }
  return { usable, skipped };
}

