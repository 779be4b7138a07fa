/**
 * The pre-training job's side of a PACS archive: lists the query's series
 * from their headers and keeps those a folder archive would keep (same
 * rules, same "left out" reasons), then hands the volume pool a `prepare`
 * that fetches each series' pixels into the workspace's bounded cache just
 * before it loads, and a tally of what was fetched and what was reused.
 */
import type { ArchiveSeries } from '../../importing/archiveSeries';
import type { CancelLike } from '../../shared/cancellation';
import { CancelledError } from '../../shared/cancellation';
import { fetchSeriesPixels, type PacsArchiveOptions, type PacsArchiveTally } from '../../pacs/pacsArchive';
import { selectPacsArchiveSeries } from '../../pacs/pacsArchiveSelection';
import { openPacsArchiveCache } from '../../pacs/pacsArchiveCache';
import { PacsClient } from '../../pacs/pacsClient';
import { PacsError } from '../../pacs/pacsError';
import { pacsArchiveParamsSchema, type PacsArchiveParams } from '../../shared/contract/trainer/jobSchemas';
import type { ArchiveSelection } from './archivePool';

export interface PacsArchiveSource {
  readonly selection: ArchiveSelection;
  readonly prepare: (series: ArchiveSeries) => Promise<void>;
  /** One line on what was fetched, reused and kept, for the run's notes. */
  summary(): string;
  /** Brings the cache back within its limit (a series larger than it is kept only while it loads). */
  close(): Promise<void>;
}

/** An AbortSignal that follows the job's cancel signal (the DICOMweb client takes AbortSignals). */
function abortSignalOf(signal: CancelLike | undefined): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if ('onCancel' in signal) signal.onCancel(() => controller.abort());
  else if (signal.aborted) controller.abort();
  return controller.signal;
}

const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** A request cut short by the job's cancel is a cancelled job (which saves its checkpoint), not a failed one. */
async function cancellable<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof PacsError && thrown.code === 'cancelled') throw new CancelledError(what);
    throw thrown;
  }
}

export async function openPacsArchiveSource(
  params: PacsArchiveParams,
  workspaceDir: string,
  minSlices: number,
  signal: CancelLike | undefined,
  onLoading: (done: number, total: number, message: string) => void,
): Promise<PacsArchiveSource> {
  const settings = pacsArchiveParamsSchema.parse(params);
  const client = new PacsClient(settings.endpoint);
  const cache = await openPacsArchiveCache(workspaceDir, settings.cacheBytes);
  const abort = abortSignalOf(signal);
  const options: PacsArchiveOptions = { client, cache, ...(abort === undefined ? {} : { signal: abort }), ...(settings.retryPausesMs === undefined ? {} : { retryPausesMs: settings.retryPausesMs }) };
  const { root, usable, skipped } = await cancellable('Reading the PACS archive', () =>
    selectPacsArchiveSeries(options, settings.query, minSlices, (done, total) => onLoading(done, total, `reading series headers from ${client.label}`)),
  );
  if (abort?.aborted === true) throw new CancelledError('Reading the PACS archive');
  if (usable.length === 0) {
    const why = skipped.length === 0 ? 'no series matches the query' : `none of its ${skipped.length} series is usable (${skipped.slice(0, 3).join('; ')})`;
    throw new Error(`The PACS archive ${root} has nothing to pre-train on: ${why}.`);
  }
  const tally: PacsArchiveTally = { fetchedInstances: 0, fetchedBytes: 0, cachedInstances: 0 };
  return {
    selection: { root, usable, skipped },
    prepare: async (series) => {
      if (abort?.aborted === true) throw new CancelledError('Fetching the PACS archive');
      const what = `fetching series ${series.seriesInstanceUid} from ${client.label}`;
      onLoading(0, series.sliceCount, what);
      await cancellable('Fetching the PACS archive', () => fetchSeriesPixels(options, series, tally, (present, total) => onLoading(present, total, what)));
    },
    summary: () =>
      `PACS archive cache (${cache.dir}): ${tally.fetchedInstances} instances fetched (${megabytes(tally.fetchedBytes)} MB), ${tally.cachedInstances} reused from the cache; it holds ${megabytes(cache.bytes())} MB of its ${megabytes(cache.limitBytes)} MB limit.`,
    close: () => cache.trim(),
  };
}
