/**
 * Scans an archive folder tree for pre-training, reading headers only.
 * Counts the files first (for the ETA), then reads them with a bounded pool,
 * reporting files/s and the time left; cancellable at any moment and
 * resumable: every file read is journalled in the workspace's archive index
 * with its size and mtime, and a later scan skips unchanged files. Unreadable
 * files are listed with reasons, never fatal.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { openArchiveIndex, type ArchiveEntry } from '../workspace/archiveIndex';
import { workspacePaths } from '../workspace/workspacePaths';
import { archiveSeriesOf, type ArchiveSeries } from './archiveSeries';
import { isCancelled, type CancelLike } from '../shared/cancellation';
import { dicomHeaderSchema, type DicomHeader } from '../dicom/header/dicomHeader';
import { walkFiles } from './fileWalker';
import { readDicomHeader } from '../dicom/header/readDicomHeader';
import { mapPool } from '../shared/workPool';

export interface ArchiveScanProgress {
  readonly phase: 'counting' | 'scanning' | 'grouping';
  readonly filesTotal: number;
  /** Files handled this run (read, or skipped as unchanged). */
  readonly filesDone: number;
  readonly filesPerSecond: number;
  /** Seconds left at the current rate; null until there is a rate. */
  readonly etaSeconds: number | null;
}

export interface ArchiveScanOptions {
  readonly root: string;
  readonly workspaceDir: string;
  readonly signal?: CancelLike;
  readonly onProgress?: (progress: ArchiveScanProgress) => void;
  /** Files read at once; default 16 (small reads: latency, not bandwidth, bounds the rate). */
  readonly concurrency?: number;
  /** Milliseconds between progress reports; default 250. */
  readonly progressIntervalMs?: number;
}

export interface ArchiveScanResult {
  readonly root: string;
  /** True when stopped by the signal: run again to resume. */
  readonly cancelled: boolean;
  readonly filesTotal: number;
  /** Headers read in this run. */
  readonly filesRead: number;
  /** Files skipped because the index already has them unchanged. */
  readonly filesUnchanged: number;
  readonly nonDicom: number;
  /** Absolute paths of the files that are not DICOM (NIfTI volumes among them), sorted. */
  readonly nonDicomPaths: string[];
  readonly unreadable: { path: string; reason: string }[];
  readonly series: ArchiveSeries[];
  readonly seconds: number;
  /** Files handled per second this run (read + unchanged). */
  readonly filesPerSecond: number;
  /** Problems met loading the index (torn journal lines), for the log. */
  readonly indexProblems: readonly string[];
}

/** Scans (or resumes scanning) `options.root`; see the module comment. */
export async function scanArchive(options: ArchiveScanOptions): Promise<ArchiveScanResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const index = await openArchiveIndex(workspacePaths(options.workspaceDir).archiveDir(root), root, dicomHeaderSchema);
  const interval = options.progressIntervalMs ?? 250;
  let lastReport = 0;
  let done = 0;
  let read = 0;
  let unchanged = 0;
  let total = 0;
  const report = (phase: ArchiveScanProgress['phase'], force = false): void => {
    const now = performance.now();
    if (options.onProgress === undefined || (!force && now - lastReport < interval)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    const rate = phase === 'scanning' && seconds > 0 ? done / seconds : 0;
    options.onProgress({ phase, filesTotal: total, filesDone: done, filesPerSecond: rate, etaSeconds: rate > 0 ? (total - done) / rate : null });
  };
  const walk = await walkFiles([root], {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: (found) => {
      total = found;
      report('counting');
    },
  });
  total = walk.files.length;
  report('scanning', true);
  await mapPool(
    walk.files,
    options.concurrency ?? 16,
    async (file) => {
      const relPath = path.relative(root, file);
      try {
        const stat = await fsp.stat(file);
        if (index.isUnchanged(relPath, stat.size, stat.mtimeMs)) {
          unchanged++;
        } else {
          const header = await readDicomHeader(file);
          const outcome: ArchiveEntry<DicomHeader>['outcome'] =
            header.status === 'dicom' ? { kind: 'dicom', record: header.header } : header.status === 'refused' ? { kind: 'refused', reason: header.reason } : { kind: 'not-dicom' };
          await index.append({ path: relPath, size: stat.size, mtimeMs: stat.mtimeMs, outcome });
          read++;
        }
      } catch (thrown) {
        // Vanished or unreadable since the count: listed, not journalled (tried again next time).
        walk.unreadable.push({ path: file, reason: `${path.basename(file)}: ${thrown instanceof Error ? thrown.message : String(thrown)}` });
      }
      done++;
      report('scanning');
    },
    options.signal,
  );
  const cancelled = isCancelled(options.signal);
  // A completed scan forgets files that are gone; a cancelled one keeps all it knew.
  await index.compact(cancelled ? undefined : new Set(walk.files.map((file) => path.relative(root, file))));
  await index.close();
  report('grouping', true);
  const headers: { path: string; header: DicomHeader }[] = [];
  const unreadable = [...walk.unreadable, ...walk.notFound.map((missing) => ({ path: missing, reason: `Folder not found: ${missing}` }))];
  const nonDicomPaths: string[] = [];
  for (const entry of index.entries.values()) {
    if (entry.outcome.kind === 'dicom') headers.push({ path: entry.path, header: entry.outcome.record });
    else if (entry.outcome.kind === 'refused') unreadable.push({ path: path.resolve(root, entry.path), reason: entry.outcome.reason });
    else nonDicomPaths.push(path.resolve(root, entry.path));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    root,
    cancelled,
    filesTotal: total,
    filesRead: read,
    filesUnchanged: unchanged,
    nonDicom: nonDicomPaths.length,
    nonDicomPaths: nonDicomPaths.sort(),
    unreadable: unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    series: archiveSeriesOf(root, headers),
    seconds,
    filesPerSecond: seconds > 0 ? done / seconds : 0,
    indexProblems: index.loadProblems,
  };
}
