/**
 * Whether the files a series was imported from are still where the index
 * says: every distinct file is stat'ed (not read), so the check is cheap
 * enough to run whenever a series is opened.
 */
import { promises as fsp } from 'node:fs';
import { seriesIdSchema } from '../shared/contract/series';
import type { SeriesFileCheck } from '../shared/contract/labels';
import type { IndexedSeries } from '../workspace/seriesIndex';
import { mapPool } from '../shared/workPool';

/** At most this many missing paths are listed (the contract's limit). */
export const missingExamplesShown = 10;

/** The distinct files of a series, in slice order. */
export function filesOf(entry: IndexedSeries): string[] {
  return [...new Set(entry.slices.map((slice) => slice.path))];
}

/** True when `file` exists and is a regular file (a folder or a broken link counts as missing). */
async function isPresent(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Stats every file of the series; missing ones are counted, the first few listed. */
export async function checkSeriesFiles(entry: IndexedSeries): Promise<SeriesFileCheck> {
  const files = filesOf(entry);
  const present = await mapPool(files, 16, isPresent);
  const missing = files.filter((_file, n) => present[n] !== true);
  return {
    seriesId: seriesIdSchema.parse(entry.summary.seriesId),
    fileCount: files.length,
    missingCount: missing.length,
    missingExamples: missing.slice(0, missingExamplesShown),
  };
}
