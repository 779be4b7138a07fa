/**
 * The app contract's archive section: scanning a folder tree of DICOM files
 * for pre-training (headers only, indexed in the workspace, resumable).
 */
import { z } from 'zod';

/** Unreadable files listed in a scan summary at most; `unreadableTotal` counts them all. */
export const archiveUnreadableCap = 200;

/** An absolute path on the machine running the app (POSIX, drive letter, or UNC). */
const absolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'), 'must be an absolute path');

export const archiveScanProgressSchema = z.object({
  kind: z.literal('progress'),
  /** 'counting' while the tree is walked (filesSeen grows), then 'scanning', then 'grouping'. */
  phase: z.enum(['counting', 'scanning', 'grouping']),
  /** Files found so far (the total once counting is over). */
  filesSeen: z.number().int().nonnegative(),
  /** Files handled this run: read, or skipped as already indexed and unchanged. */
  filesDone: z.number().int().nonnegative(),
  filesPerSecond: z.number().nonnegative(),
  /** Seconds left at the current rate; null until there is a rate. */
  etaSeconds: z.number().nonnegative().nullable(),
});
export type ArchiveScanProgressEvent = z.infer<typeof archiveScanProgressSchema>;

export const archiveScanSummarySchema = z.object({
  root: z.string(),
  /** True when the scan was stopped part-way: scanning again resumes it. */
  cancelled: z.boolean(),
  seriesCount: z.number().int().nonnegative(),
  sliceCount: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** Headers read in this run. */
  filesRead: z.number().int().nonnegative(),
  /** Files already in the workspace's index unchanged, skipped (what a resumed scan did not redo). */
  resumedFrom: z.number().int().nonnegative(),
  nonDicom: z.number().int().nonnegative(),
  /** The first unreadable files (at most archiveUnreadableCap), sorted by path, with reasons. */
  unreadable: z.array(z.object({ path: z.string(), reason: z.string() })).max(archiveUnreadableCap),
  unreadableTotal: z.number().int().nonnegative(),
  elapsedSeconds: z.number().nonnegative(),
  filesPerSecond: z.number().nonnegative(),
});
export type ArchiveScanSummary = z.infer<typeof archiveScanSummarySchema>;

export const archiveScanEventSchema = z.discriminatedUnion('kind', [
  archiveScanProgressSchema,
  z.object({ kind: z.literal('done'), summary: archiveScanSummarySchema }),
]);
export type ArchiveScanEvent = z.infer<typeof archiveScanEventSchema>;

export const archiveStreams = {
  /**
   * Scans (or resumes scanning) a folder tree for pre-training: progress
   * events, then one `done` event with the summary. Cancelling the stream
   * stops the scan; what was read stays in the workspace's index, so
   * scanning the same folder again resumes where it stopped.
   */
  'archive.scan': {
    params: z.object({ root: absolutePathSchema }).strict(),
    event: archiveScanEventSchema,
  },
} as const;
