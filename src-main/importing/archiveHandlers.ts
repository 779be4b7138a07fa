/**
 * The contract's archive section served by the archive scanner over the
 * workspace: `archive.scan` streams progress, then one summary. Cancelling
 * the stream stops the scan; the workspace's archive index keeps what was
 * read, so a later scan of the same folder resumes.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { archiveStreams, archiveUnreadableCap, type ArchiveScanSummary } from '../shared/contract/archiveApi';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import { scanArchive, type ArchiveScanResult } from './archiveScanner';

/** The archive streams as a contract of their own (for typing and tests). */
export const archiveContract = defineContract({ calls: {}, streams: archiveStreams });
export type ArchiveContract = typeof archiveContract;

export interface ArchiveHandlersOptions {
  /** The workspace whose archive indexes the scans keep. */
  readonly workspaceDir: string;
  /** Files read at once (default: the scanner's). */
  readonly concurrency?: number;
  /** Milliseconds between progress events (default: the scanner's). */
  readonly progressIntervalMs?: number;
}

/** The scan result as the contract reports it: counts, and the first unreadable files. */
export function summarizeArchiveScan(result: ArchiveScanResult): ArchiveScanSummary {
  return {
    root: result.root,
    cancelled: result.cancelled,
    seriesCount: result.series.length,
    sliceCount: result.series.reduce((sum, series) => sum + series.slices.length, 0),
    filesTotal: result.filesTotal,
    filesRead: result.filesRead,
    resumedFrom: result.filesUnchanged,
    nonDicom: result.nonDicom,
    unreadable: result.unreadable.slice(0, archiveUnreadableCap).map(({ path: file, reason }) => ({ path: file, reason })),
    unreadableTotal: result.unreadable.length,
    elapsedSeconds: result.seconds,
    filesPerSecond: result.filesPerSecond,
  };
}

/** Handlers for the archive.scan stream. */
export function createArchiveHandlers(options: ArchiveHandlersOptions): ServiceHandlers<ArchiveContract> {
  // One scan per folder at a time: two would write the same journal.
  const running = new Set<string>();
  return {
    calls: {},
    streams: {
      'archive.scan': async ({ root: requested }, emit, signal) => {
        const root = path.resolve(requested);
        let stat;
        try {
          stat = await fsp.stat(root);
        } catch (thrown) {
          throw new Error(`Cannot open ${root}: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { cause: thrown });
        }
        if (!stat.isDirectory()) throw new Error(`${root} is not a folder.`);
        if (running.has(root)) throw new Error(`${root} is already being scanned.`);
        running.add(root);
        try {
          const result = await scanArchive({
            root,
            workspaceDir: options.workspaceDir,
            signal,
            ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
            ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
            onProgress: (progress) =>
              emit({
                kind: 'progress',
                phase: progress.phase,
                filesSeen: progress.filesTotal,
                filesDone: progress.filesDone,
                filesPerSecond: progress.filesPerSecond,
                etaSeconds: progress.etaSeconds,
              }),
          });
          // After a cancel the server drops this event: the client sees the stream end 'cancelled'.
          emit({ kind: 'done', summary: summarizeArchiveScan(result) });
        } finally {
          running.delete(root);
        }
      },
    },
  };
}
