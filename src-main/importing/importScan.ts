/**
 * The import pipeline without any workspace: read every file's header (or
 * NIfTI header), sort DICOM files into series, make thumbnails, and report
 * what was refused and how many files were not DICOM. `macl inspect` uses
 * this directly; the import service merges its result into the index.
 */
import type { ImportReport } from '../shared/contract/series';
import type { IndexedSeries } from '../workspace/seriesIndex';
import { assembleSeries } from '../dicom/series/assembleSeries';
import { throwIfCancelled, type CancelLike } from '../shared/cancellation';
import { walkFiles } from './fileWalker';
import { niftiEntry } from './niftiSeries';
import { isNiftiPath, readNifti, type NiftiFile } from '../nifti/niftiVolume';
import { readDicomHeader } from '../dicom/header/readDicomHeader';
import type { HeaderFile } from '../dicom/series/sliceRef';
import { seriesThumbnail } from './seriesThumbnail';
import { summaryOf } from '../dicom/series/seriesSummary';
import { mapPool } from '../shared/workPool';

export interface ImportProgress {
  readonly filesSeen: number;
  readonly filesRead: number;
}

export interface ImportScanOptions {
  readonly signal?: CancelLike;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Make thumbnails (decodes one slice per series); default true. */
  readonly thumbnails?: boolean;
  /** Files read at once; default 8. */
  readonly concurrency?: number;
}

export interface InputsRead {
  readonly dicom: HeaderFile[];
  readonly nifti: NiftiFile[];
  readonly refused: { path: string; reason: string }[];
  readonly skippedNonDicom: number;
}

/** Reads the headers of `files`. */
export async function readInputs(files: readonly string[], options: ImportScanOptions = {}, filesSeen = files.length): Promise<InputsRead> {
  const dicom: HeaderFile[] = [];
  const nifti: NiftiFile[] = [];
  const refused: { path: string; reason: string }[] = [];
  let skippedNonDicom = 0;
  let read = 0;
  let lastReport = 0;
  await mapPool(
    files,
    options.concurrency ?? 8,
    async (file) => {
      if (isNiftiPath(file)) {
        try {
          nifti.push(await readNifti(file));
        } catch (thrown) {
          refused.push({ path: file, reason: thrown instanceof Error ? thrown.message : String(thrown) });
        }
      } else {
        const header = await readDicomHeader(file);
        if (header.status === 'dicom') dicom.push({ path: file, header: header.header });
        else if (header.status === 'refused') refused.push({ path: file, reason: header.reason });
        else skippedNonDicom++;
      }
      read++;
      const now = Date.now();
      if (options.onProgress !== undefined && now - lastReport > 100) {
        lastReport = now;
        options.onProgress({ filesSeen, filesRead: read });
      }
    },
    options.signal,
  );
  throwIfCancelled(options.signal, 'Import');
  options.onProgress?.({ filesSeen, filesRead: read });
  // Pool order is completion order: sort so results never depend on timing.
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { dicom: dicom.sort(byPath), nifti: nifti.sort(byPath), refused: refused.sort(byPath), skippedNonDicom };
}

/** Series index entries for the headers read (DICOM series, then NIfTI files). */
export async function buildEntries(dicom: readonly HeaderFile[], nifti: readonly NiftiFile[], options: ImportScanOptions = {}): Promise<IndexedSeries[]> {
  const importedAt = new Date().toISOString();
  const withThumbnails = options.thumbnails ?? true;
  const entries: IndexedSeries[] = [];
  for (const series of assembleSeries(dicom)) {
    throwIfCancelled(options.signal, 'Import');
    let thumbnail: string | null = null;
    const problems = [...series.problems];
    if (withThumbnails && series.kind === 'image') {
      const made = await seriesThumbnail(series);
      if ('url' in made) thumbnail = made.url;
      else problems.push({ code: 'unreadable-file', message: `The middle slice could not be decoded: ${made.problem}` });
    }
    entries.push({
      summary: summaryOf({ ...series, problems }, thumbnail),
      slices: series.slices.map((slice) => ({
        path: slice.path,
        frame: slice.frame,
        positionMm: slice.positionMm === null ? null : Math.round(slice.positionMm * 1e6) / 1e6,
        ...(slice.header.sopInstanceUid === '' ? {} : { sopInstanceUid: slice.header.sopInstanceUid }),
        fileFrames: slice.header.image?.numberOfFrames ?? 1,
      })),
      importedAt,
    });
  }
  for (const file of nifti) entries.push(niftiEntry(file, withThumbnails, importedAt));
  return entries;
}

/** Walks `paths`, reads everything, and returns the report and the entries (nothing is written). */
export async function scanForImport(paths: readonly string[], options: ImportScanOptions = {}): Promise<{ report: ImportReport; entries: IndexedSeries[] }> {
  const walk = await walkFiles(paths, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: (filesSeen) => options.onProgress?.({ filesSeen, filesRead: 0 }),
  });
  throwIfCancelled(options.signal, 'Import');
  const inputs = await readInputs(walk.files, options);
  const entries = await buildEntries(inputs.dicom, inputs.nifti, options);
  return {
    report: {
      series: entries.map((entry) => entry.summary),
      refused: [...walk.unreadable, ...inputs.refused],
      notFound: walk.notFound,
      alreadyImported: [],
      skippedNonDicom: inputs.skippedNonDicom,
      filesScanned: walk.files.length,
    },
    entries,
  };
}
