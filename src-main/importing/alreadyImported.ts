/**
 * Keeps an import from moving a series the workspace already holds: files
 * whose SOP instance is indexed at another path (a second copy of the same
 * series, e.g. inside a large scratch folder) add nothing. The indexed
 * series keeps its files; moving it to other files is Relocate's job, asked
 * for by the user, never a side effect of an import.
 */
import path from 'node:path';
import type { AlreadyImported } from '../shared/contract/series';
import { seriesIdSchema } from '../shared/contract/series';
import type { IndexedSeries } from '../workspace/seriesIndex';
import type { HeaderFile } from '../dicom/series/sliceRef';

/** The deepest folder holding every path (the folder itself for one path). */
export function commonFolder(paths: readonly string[]): string {
  const folders = paths.map((file) => path.dirname(file).split(path.sep));
  const first = folders[0] ?? [];
  let length = first.length;
  for (const parts of folders) {
    let same = 0;
    while (same < Math.min(length, parts.length) && parts[same] === first[same]) same++;
    length = same;
  }
  return first.slice(0, length).join(path.sep) || path.sep;
}

export interface Deduplicated {
  /** The files that are not a copy of an indexed image. */
  readonly fresh: HeaderFile[];
  readonly alreadyImported: AlreadyImported[];
}

/**
 * Splits `files` into those that add to the workspace and copies of images
 * `indexed` already holds from another path. `indexedUids` gives the SOP
 * Instance UID of indexed files whose index entry lacks it (older indexes).
 */
export function dropIndexedCopies(files: readonly HeaderFile[], indexed: readonly IndexedSeries[], indexedUids: ReadonlyMap<string, string> = new Map()): Deduplicated {
  const owner = new Map<string, { entry: IndexedSeries; path: string }>();
  for (const entry of indexed) {
    for (const slice of entry.slices) {
      const uid = slice.sopInstanceUid ?? indexedUids.get(slice.path);
      if (uid !== undefined && uid !== '') owner.set(uid, { entry, path: slice.path });
    }
  }
  const fresh: HeaderFile[] = [];
  const copies = new Map<IndexedSeries, string[]>();
  for (const file of files) {
    const found = file.header.sopInstanceUid === '' ? undefined : owner.get(file.header.sopInstanceUid);
    if (found === undefined || found.path === file.path) fresh.push(file);
    else copies.set(found.entry, [...(copies.get(found.entry) ?? []), file.path]);
  }
  const alreadyImported = [...copies].map(([entry, paths]) => ({
    seriesId: seriesIdSchema.parse(entry.summary.seriesId),
    description: entry.summary.description,
    files: paths.length,
    indexedFolder: commonFolder(entry.slices.map((slice) => slice.path)),
    foundIn: commonFolder(paths),
  }));
  return { fresh, alreadyImported };
}
