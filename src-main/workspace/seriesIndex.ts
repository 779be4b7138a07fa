/**
 * The workspace's index of imported series (`series-index.json`): per
 * series its summary and the sorted list of slices, each a file path and a
 * frame number. Files are indexed in place; pixels are never copied.
 *
 * Loading tolerates a missing file (an empty index) and reports a corrupt one
 * clearly: the unreadable file is renamed to `series-index.json.corrupt-<time>`
 * so nothing is silently discarded, and the problem is kept for the UI.
 */
import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import { seriesSummarySchema, type SeriesId, type SeriesSummary } from '../shared/contract/series';
import { writeJsonAtomic, type AtomicWriteFs } from './atomicWrite';

/** One slice (or frame) of a series, in sorted order. */
export const indexedSliceSchema = z.object({
  path: z.string().min(1),
  /** 0-based frame inside a multi-frame file; null for single-frame files. */
  frame: z.number().int().nonnegative().nullable(),
  /** Position along the slice normal (mm), when the slice has geometry. */
  positionMm: z.number().nullable(),
  /**
   * SOP Instance UID and frame count of the file, to find it again when it
   * moved (series.relocate). Absent in indexes written before they were kept.
   */
  sopInstanceUid: z.string().optional(),
  fileFrames: z.number().int().positive().optional(),
});
export type IndexedSlice = z.infer<typeof indexedSliceSchema>;

export const indexedSeriesSchema = z.object({
  summary: seriesSummarySchema,
  slices: z.array(indexedSliceSchema),
  importedAt: z.string(),
});
export type IndexedSeries = z.infer<typeof indexedSeriesSchema>;

export const seriesIndexFileSchema = z.object({
  format: z.literal('macl-series-index'),
  version: z.literal(1),
  series: z.array(indexedSeriesSchema),
});
export type SeriesIndexFile = z.infer<typeof seriesIndexFileSchema>;

export type SeriesIndexLoad =
  | { readonly series: IndexedSeries[]; readonly problem: null }
  | { readonly series: IndexedSeries[]; readonly problem: string; readonly corruptCopy: string };

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Reads the index file; see the module comment for missing and corrupt files. */
export async function loadSeriesIndex(file: string): Promise<SeriesIndexLoad> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return { series: [], problem: null };
    throw new Error(`Could not read the series index ${file}: ${describe(thrown)}`, { cause: thrown });
  }
  let cause: string;
  try {
    const parsed = seriesIndexFileSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { series: parsed.data.series, problem: null };
    cause = `unexpected content (${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`;
  } catch (thrown) {
    cause = `not valid JSON (${describe(thrown)})`;
  }
  const corruptCopy = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await fsp.rename(file, corruptCopy);
  return {
    series: [],
    problem: `The series index ${file} is corrupt: ${cause}. It was kept as ${corruptCopy}; the index starts empty (re-import the series).`,
    corruptCopy,
  };
}

/** Writes the whole index atomically. */
export function saveSeriesIndex(file: string, series: readonly IndexedSeries[], fs?: AtomicWriteFs): Promise<void> {
  const content: SeriesIndexFile = { format: 'macl-series-index', version: 1, series: [...series] };
  return writeJsonAtomic(file, content, fs === undefined ? {} : { fs });
}

/** The index held in memory, saved after every change; changes are serialised. */
export interface SeriesIndexStore {
  /** The problem found when loading (a corrupt file), or null. */
  readonly loadProblem: string | null;
  list(): readonly IndexedSeries[];
  get(seriesId: SeriesId | string): IndexedSeries | undefined;
  /**
   * Adds or replaces series (by seriesId), keeping import order, after
   * forgetting the series in `replacing` (sub-series that a re-import no
   * longer produces); saves once.
   */
  upsert(entries: readonly IndexedSeries[], replacing?: readonly string[]): Promise<void>;
  /** Forgets a series; saves. Returns false when it was not there. */
  remove(seriesId: SeriesId | string): Promise<boolean>;
  summaries(): SeriesSummary[];
}

/** Loads the index at `file` (missing: empty) and returns a store that keeps it saved. */
export async function openSeriesIndex(file: string, options: { fs?: AtomicWriteFs } = {}): Promise<SeriesIndexStore> {
  const loaded = await loadSeriesIndex(file);
  let series = loaded.series;
  let queue: Promise<unknown> = Promise.resolve();
  /**
   * Changes run one after another, each computed from the state its
   * predecessor left; memory changes only once the write succeeded, so it
   * never claims what the disk lacks.
   */
  const mutate = <T>(change: (current: IndexedSeries[]) => { next: IndexedSeries[] | null; result: T }): Promise<T> => {
    const run = queue.then(async () => {
      const { next, result } = change(series);
      if (next !== null) {
        await saveSeriesIndex(file, next, options.fs);
        series = next;
      }
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    loadProblem: loaded.problem,
    list: () => series,
    get: (seriesId) => series.find((entry) => entry.summary.seriesId === seriesId),
    summaries: () => series.map((entry) => entry.summary),
    upsert(entries, replacing = []) {
      return mutate((current) => {
        const replaced = new Map(entries.map((entry) => [entry.summary.seriesId as string, entry]));
        const dropped = new Set(replacing.filter((id) => !replaced.has(id)));
        const next = current.filter((entry) => !dropped.has(entry.summary.seriesId)).map((entry) => replaced.get(entry.summary.seriesId) ?? entry);
        const known = new Set(next.map((entry) => entry.summary.seriesId as string));
        for (const entry of entries) if (!known.has(entry.summary.seriesId)) next.push(entry);
        return { next, result: undefined };
      });
    },
    remove(seriesId) {
      return mutate((current) => {
        const next = current.filter((entry) => entry.summary.seriesId !== seriesId);
        return next.length === current.length ? { next: null, result: false } : { next, result: true };
      });
    },
  };
}
