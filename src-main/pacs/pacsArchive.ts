/**
 * A PACS query as a pre-training archive. Headers first: the matching series
 * (QIDO-RS across studies) and their instances' metadata (WADO-RS, no
 * pixels) are grouped exactly as a scanned folder's headers are, which says
 * what will be used and what is left out, and why, before any pixel moves.
 * Pixels are fetched a series at a time as the volume pool loads it, into
 * the size-bounded cache (pacsArchiveCache.ts); an instance already cached
 * is not fetched again. A server that stops answering is retried with
 * growing pauses; past those, the error names the server, the step and what
 * is cached, and the job can be resumed.
 */
import type { ArchiveSeries } from '../importing/archiveSeries';
import { archiveSeriesOf } from '../importing/archiveSeries';
import type { DicomHeader } from '../dicom/header/dicomHeader';
import type { PacsArchiveQuery } from '../shared/contract/pacs';
import { mapPool } from '../shared/workPool';
import { tags, textOf } from './dicomJson';
import { headerFromDicomJson } from './headerFromDicomJson';
import type { PacsArchiveCache, PacsArchivePaths } from './pacsArchiveCache';
import type { PacsClient } from './pacsClient';
import { PacsError } from './pacsError';
import path from 'node:path';

/** Pauses between tries of a request whose server did not answer (the first try is immediate). */
export const defaultRetryPausesMs: readonly number[] = [1000, 2000, 4000, 8000];

/** Series asked for per QIDO page. */
const seriesPage = 200;

export interface PacsArchiveOptions {
  readonly client: PacsClient;
  readonly cache: PacsArchiveCache;
  readonly signal?: AbortSignal;
  readonly retryPausesMs?: readonly number[];
  /** Instances fetched at once within a series (default 4). */
  readonly concurrency?: number;
}

/** What the archive fetched and reused so far (for the run's notes). */
export interface PacsArchiveTally {
  fetchedInstances: number;
  fetchedBytes: number;
  cachedInstances: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Runs `attempt`, trying again after each pause while the server does not answer (or answers 5xx). */
export async function withRetries<T>(attempt: () => Promise<T>, pausesMs: readonly number[], signal?: AbortSignal): Promise<T> {
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (thrown) {
      const transient = thrown instanceof PacsError && (thrown.code === 'unavailable' || thrown.code === 'server');
      const pause = pausesMs[tried];
      if (!transient || pause === undefined || signal?.aborted === true) {
        if (transient && tried > 0) throw new PacsError(thrown.code, `${thrown.message} (tried ${tried + 1} times over ${(pausesMs.slice(0, tried).reduce((a, b) => a + b, 0) / 1000).toFixed(0)} s)`, { cause: thrown });
        throw thrown;
      }
      await sleep(pause, signal);
    }
  }
}

/** The QIDO-RS parameters of the archive query. */
export function archiveQueryParams(query: PacsArchiveQuery): Record<string, string> {
  const params: Record<string, string> = { includefield: [tags.seriesDescription, tags.numberOfSeriesRelatedInstances, tags.studyDate].join(',') };
  if (query.modality !== undefined) params.Modality = query.modality;
  const from = query.studyDateFrom?.replaceAll('-', '') ?? '';
  const to = query.studyDateTo?.replaceAll('-', '') ?? '';
  if (from !== '' || to !== '') params.StudyDate = from === to ? from : `${from}-${to}`;
  if (query.description !== undefined) params.SeriesDescription = query.description;
  return params;
}

/** The query in words, for messages and the model record. */
export function describeArchiveQuery(client: PacsClient, query: PacsArchiveQuery): string {
  const parts = [
    query.modality === undefined ? null : `modality ${query.modality}`,
    query.studyDateFrom === undefined && query.studyDateTo === undefined ? null : `study date ${query.studyDateFrom ?? '…'} to ${query.studyDateTo ?? '…'}`,
    query.description === undefined ? null : `series description "${query.description}"`,
  ].filter((part) => part !== null);
  return `${client.label}, series with ${parts.length === 0 ? 'any attributes' : parts.join(', ')}`;
}

export interface PacsArchiveListing {
  /** Every image series found, grouped and sorted (their slices' paths are cache paths). */
  readonly series: ArchiveSeries[];
  /** Series whose headers could not be read, with the reason. */
  readonly unreadable: string[];
}

/** What listing an archive needs: the server, and where its instances would go (the cache is not read). */
export type PacsArchiveListingOptions = Omit<PacsArchiveOptions, 'cache'> & { readonly cache: PacsArchivePaths };

/** Headers first: the series matching `query`, from their metadata alone. */
export async function listPacsArchive(options: PacsArchiveListingOptions, query: PacsArchiveQuery, onProgress: (done: number, total: number) => void): Promise<PacsArchiveListing> {
  const { client, cache, signal } = options;
  const pauses = options.retryPausesMs ?? defaultRetryPausesMs;
  const matches: { study: string; series: string }[] = [];
  for (let offset = 0; ; offset += seriesPage) {
    const page = await withRetries(() => client.searchAllSeries({ ...archiveQueryParams(query), limit: String(seriesPage), offset: String(offset) }, signal), pauses, signal);
    for (const dataset of page) matches.push({ study: textOf(dataset, tags.studyInstanceUid), series: textOf(dataset, tags.seriesInstanceUid) });
    if (page.length < seriesPage) break;
  }
  const headers: { path: string; header: DicomHeader }[] = [];
  const unreadable: string[] = [];
  let done = 0;
  onProgress(0, matches.length);
  await mapPool(matches, 4, async ({ study, series }) => {
    try {
      const metadata = await withRetries(() => client.seriesMetadata(study, series, signal), pauses, signal);
      for (const instance of metadata) {
        const header = headerFromDicomJson(instance);
        headers.push({ path: cache.instancePath({ study, series, sop: header.sopInstanceUid }), header });
      }
    } catch (thrown) {
      // Down or refusing: the whole listing fails. A series whose metadata is broken is only left out.
      if (!(thrown instanceof PacsError) || (thrown.code !== 'malformed' && thrown.code !== 'not-found')) throw thrown;
      unreadable.push(`series ${series}: ${thrown.message}`);
    }
    onProgress(++done, matches.length);
  }, signal);
  if (signal?.aborted === true) throw new PacsError('cancelled', `${client.label}: reading the archive's headers: cancelled.`);
  return { series: archiveSeriesOf(cache.dir, headers), unreadable };
}

/** Fetches the instances of `series` that are not in the cache; marks the rest used. `onInstance` counts the series' files present. */
export async function fetchSeriesPixels(options: PacsArchiveOptions, series: ArchiveSeries, tally: PacsArchiveTally, onInstance?: (present: number, total: number) => void): Promise<void> {
  const { client, cache, signal } = options;
  const pauses = options.retryPausesMs ?? defaultRetryPausesMs;
  const files = [...new Set(series.slices.map((slice) => slice.path))];
  const missing = files.filter((file) => !cache.has(file));
  const seriesDir = path.dirname(files[0] ?? cache.dir);
  await cache.touch(files.filter((file) => cache.has(file)));
  tally.cachedInstances += files.length - missing.length;
  let next = 0;
  let written = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < missing.length) {
      const file = missing[next++] as string;
      const sop = path.basename(file, '.dcm');
      try {
        const bytes = await withRetries(() => client.retrieveInstance({ study: series.studyInstanceUid, series: series.seriesInstanceUid, sop }, signal), pauses, signal);
        await cache.write(file, bytes, seriesDir);
        tally.fetchedInstances += 1;
        tally.fetchedBytes += bytes.length;
        onInstance?.(files.length - missing.length + ++written, files.length);
      } catch (thrown) {
        failure ??= thrown;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  if (failure !== null) {
    const cached = files.filter((file) => cache.has(file)).length;
    const detail = `${cached} of ${files.length} instances of series ${series.seriesInstanceUid} are in the pre-training cache; resuming the job fetches only the rest.`;
    if (failure instanceof PacsError) throw new PacsError(failure.code, `Pre-training archive: ${failure.message} ${detail}`, { cause: failure });
    throw failure instanceof Error ? new Error(`Pre-training archive, fetching from ${client.label}: ${failure.message} ${detail}`, { cause: failure }) : new Error(String(failure));
  }
}
