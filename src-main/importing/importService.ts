/**
 * The series side of the workstation, over one workspace folder: import
 * files and folders (indexed in place, merged into `series-index.json`),
 * list and forget series, tell the hosts which file serves which slice URL,
 * and load whole volumes for the trainer. No Electron: the desktop app, the
 * browser host and the CLI all use this.
 */
import type { SeriesFileCheck } from '../shared/contract/labels';
import type { ImportReport, SeriesImages, SeriesSummary } from '../shared/contract/series';
import { seriesIdSchema } from '../shared/contract/series';
import { openSeriesIndex, type IndexedSeries } from '../workspace/seriesIndex';
import { workspacePaths, type WorkspacePaths } from '../workspace/workspacePaths';
import { dropIndexedCopies } from './alreadyImported';
import { throwIfCancelled, type CancelLike } from '../shared/cancellation';
import { walkFiles } from './fileWalker';
import { buildEntries, readInputs, type ImportProgress } from './importScan';
import { checkSeriesFiles } from './seriesFileCheck';
import { relocateSeriesFiles } from './seriesRelocate';
import { loadIndexedVolume, type LoadedVolume } from './volumeLoader';

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly signal?: CancelLike;
  /** Make thumbnails; default true. */
  readonly thumbnails?: boolean;
}

/** A failure the RPC layer maps to an error code. */
export class SeriesError extends Error {
  constructor(
    readonly code: 'not-found' | 'unavailable' | 'bad-request',
    message: string,
  ) {
    super(message);
    this.name = 'SeriesError';
  }
}

export interface ImportService {
  readonly paths: WorkspacePaths;
  /** A corrupt index found at start (kept as a .corrupt copy), or null. */
  readonly loadProblem: string | null;
  importPaths(paths: readonly string[], options?: ImportOptions): Promise<ImportReport>;
  listSeries(): SeriesSummary[];
  /** Forgets a series (files are never touched); returns the remaining list. */
  removeSeries(seriesId: string): Promise<SeriesSummary[]>;
  /** Slice URLs for the viewer; throws SeriesError for unknown or non-DICOM series. */
  seriesImages(seriesId: string): SeriesImages;
  /** The file behind `files/<seriesId>/<index>`; null unless indexed. */
  resolveSeriesFile(seriesId: string, index: number): { path: string; frame: number | null } | null;
  /** Every slice decoded and rescaled; throws SeriesError for unknown series. */
  loadVolume(seriesId: string, signal?: CancelLike): Promise<LoadedVolume>;
  /** Whether the series' files are still there (each stat'ed); throws SeriesError for unknown series. */
  checkFiles(seriesId: string): Promise<SeriesFileCheck>;
  /**
   * Points the series at its files found under `folder` (matched by SOP
   * Instance UID and frame count), keeping its id and so its labels; throws
   * SeriesError, changing nothing, unless every file is found.
   */
  relocate(seriesId: string, folder: string, signal?: CancelLike): Promise<SeriesSummary>;
}

/**
 * URLs of an indexed DICOM series: slice k is `files/<id>/<k0>` where k0 is
 * the first slice from the same file, so the viewer fetches each file once;
 * frames of a multi-frame file add `?frame=N`, 1-based as cornerstone's
 * wadouri loader expects.
 */
export function imageUrlsOf(entry: IndexedSeries): string[] {
  const firstIndex = new Map<string, number>();
  const id = encodeURIComponent(entry.summary.seriesId);
  return entry.slices.map((slice, k) => {
    if (!firstIndex.has(slice.path)) firstIndex.set(slice.path, k);
    const base = `files/${id}/${firstIndex.get(slice.path) ?? k}`;
    return slice.frame === null ? base : `${base}?frame=${slice.frame + 1}`;
  });
}

/** Opens (creating on first write) the workspace at `workspaceDir`. */
export async function createImportService(options: { workspaceDir: string }): Promise<ImportService> {
  const paths = workspacePaths(options.workspaceDir);
  const store = await openSeriesIndex(paths.seriesIndex);
  const entryOf = (seriesId: string): IndexedSeries => {
    const entry = store.get(seriesId);
    if (entry === undefined) throw new SeriesError('not-found', `No series ${seriesId} in the workspace ${paths.root}.`);
    return entry;
  };
  return {
    paths,
    loadProblem: store.loadProblem,
    async importPaths(inputs, importOptions = {}) {
      const signal = importOptions.signal;
      const scanOptions = { ...importOptions, ...(signal === undefined ? {} : { signal }) };
      const walk = await walkFiles(inputs, { ...(signal === undefined ? {} : { signal }), onProgress: (filesSeen) => importOptions.onProgress?.({ filesSeen, filesRead: 0 }) });
      throwIfCancelled(signal, 'Import');
      const read = await readInputs(walk.files, scanOptions);
      // Files of the same series imported earlier are read again, so a series
      // imported in parts is assembled (sorted, checked) as a whole; copies of
      // images already indexed elsewhere add nothing (see alreadyImported.ts).
      const uids = new Set(read.dicom.map((file) => file.header.seriesInstanceUid).filter((uid) => uid !== ''));
      const related = store.list().filter((entry) => entry.summary.source === 'dicom' && uids.has(entry.summary.seriesInstanceUid));
      const walked = new Set(walk.files);
      const extra = [...new Set(related.flatMap((entry) => entry.slices.map((slice) => slice.path)))].filter((file) => !walked.has(file));
      const again = extra.length === 0 ? null : await readInputs(extra, { ...scanOptions, onProgress: undefined });
      const indexedUids = new Map((again?.dicom ?? []).map((file) => [file.path, file.header.sopInstanceUid]));
      const { fresh, alreadyImported } = dropIndexedCopies(read.dicom, related, indexedUids);
      const freshUids = new Set(fresh.map((file) => file.header.seriesInstanceUid));
      const earlier = related.filter((entry) => freshUids.has(entry.summary.seriesInstanceUid));
      const earlierFiles = new Set(earlier.flatMap((entry) => entry.slices.map((slice) => slice.path)));
      const entries = await buildEntries([...fresh, ...(again?.dicom ?? []).filter((file) => earlierFiles.has(file.path))], read.nifti, scanOptions);
      throwIfCancelled(signal, 'Import');
      await store.upsert(entries, earlier.map((entry) => entry.summary.seriesId));
      return {
        series: entries.map((entry) => entry.summary),
        refused: [...walk.unreadable, ...read.refused, ...(again?.refused ?? []).filter((file) => earlierFiles.has(file.path))],
        notFound: walk.notFound,
        alreadyImported,
        skippedNonDicom: read.skippedNonDicom,
        filesScanned: walk.files.length,
      };
    },
    listSeries: () => store.summaries(),
    async removeSeries(seriesId) {
      if (!(await store.remove(seriesId))) throw new SeriesError('not-found', `No series ${seriesId} in the workspace ${paths.root}.`);
      return store.summaries();
    },
    seriesImages(seriesId) {
      const entry = entryOf(seriesId);
      if (entry.summary.source !== 'dicom' || entry.summary.kind !== 'image') {
        throw new SeriesError('unavailable', `Series ${seriesId} is a ${entry.summary.source === 'nifti' ? 'NIfTI volume' : `${entry.summary.kind} object`}: it has no DICOM slices for the viewer.`);
      }
      return { seriesId: seriesIdSchema.parse(seriesId), imageUrls: imageUrlsOf(entry) };
    },
    resolveSeriesFile(seriesId, index) {
      const slice = store.get(seriesId)?.slices[index];
      return slice === undefined || !Number.isInteger(index) ? null : { path: slice.path, frame: slice.frame };
    },
    async loadVolume(seriesId, signal) {
      return loadIndexedVolume(entryOf(seriesId), signal);
    },
    checkFiles: (seriesId) => checkSeriesFiles(entryOf(seriesId)),
    async relocate(seriesId, folder, signal) {
      const entry = entryOf(seriesId);
      const outcome = await relocateSeriesFiles(entry, folder, signal);
      if ('refused' in outcome) throw new SeriesError(outcome.code, outcome.refused);
      await store.upsert([{ ...entry, slices: outcome.slices }]);
      return entry.summary;
    },
  };
}
