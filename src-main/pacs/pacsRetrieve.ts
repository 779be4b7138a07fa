/**
 * WADO-RS retrieve of one series into the workspace's store, instance by
 * instance (a few at a time), with progress, cancel and resume: instances
 * already in the store are not fetched again, and each file is written
 * atomically, so an interruption at any moment loses at most the instances
 * in flight. The series is then imported like a folder from disk.
 */
import path from 'node:path';
import type { RetrieveProgress } from '../shared/contract/pacs';
import { writeFileAtomic } from '../workspace/atomicWrite';
import { tags, textOf } from './dicomJson';
import type { PacsClient } from './pacsClient';
import { PacsError } from './pacsError';
import { checkUid, instanceFileName, seriesStoreDir, storedInstances } from './pacsStoreFolder';

export interface RetrieveSeriesRequest {
  readonly client: PacsClient;
  readonly workspaceDir: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RetrieveProgress) => void;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
}

export interface RetrieveSeriesOutcome {
  readonly folder: string;
  readonly instancesTotal: number;
  readonly fetched: number;
  readonly alreadyPresent: number;
  readonly bytesFetched: number;
  readonly seconds: number;
}

/** Progress events at most this often (and always at the end). */
const progressIntervalMs = 200;

export async function retrieveSeriesToStore(request: RetrieveSeriesRequest): Promise<RetrieveSeriesOutcome> {
  const { client, signal } = request;
  const folder = seriesStoreDir(request.workspaceDir, request.studyInstanceUid, request.seriesInstanceUid);
  const listed = await client.searchInstances(request.studyInstanceUid, request.seriesInstanceUid, { includefield: tags.sopInstanceUid }, signal);
  const sopUids = [...new Set(listed.map((dataset) => textOf(dataset, tags.sopInstanceUid)))];
  if (sopUids.length === 0) throw new PacsError('not-found', `${client.label}: list instances of series ${request.seriesInstanceUid}: the server has no instances of it.`);
  for (const uid of sopUids) checkUid(uid, `${client.label}: SOP Instance UID`);
  const present = await storedInstances(folder);
  const missing = sopUids.filter((uid) => !present.has(uid));
  const alreadyPresent = sopUids.length - missing.length;

  const started = performance.now();
  let done = alreadyPresent;
  let bytesFetched = 0;
  let inFlightBytes = 0;
  let lastReport = 0;
  const report = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastReport < progressIntervalMs) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    const bytes = bytesFetched + inFlightBytes;
    const fetchedNow = done - alreadyPresent;
    const perInstance = fetchedNow > 0 ? seconds / fetchedNow : null;
    request.onProgress?.({
      kind: 'progress',
      instancesTotal: sopUids.length,
      instancesDone: done,
      instancesAlreadyPresent: alreadyPresent,
      bytesFetched: bytes,
      bytesPerSecond: seconds > 0 ? bytes / seconds : 0,
      etaSeconds: perInstance === null ? null : perInstance * (sopUids.length - done),
    });
  };
  report(true);

  // A few requests at once hide each one's round trip; the first failure stops the rest.
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < missing.length) {
      const sop = missing[next++] as string;
      let seen = 0;
      try {
        const bytes = await client.retrieveInstance({ study: request.studyInstanceUid, series: request.seriesInstanceUid, sop }, signal, (loaded) => {
          inFlightBytes += loaded - seen;
          seen = loaded;
          report(false);
        });
        inFlightBytes -= seen;
        await writeFileAtomic(path.join(folder, instanceFileName(sop)), bytes);
        bytesFetched += bytes.length;
        done += 1;
        // Every finished instance is reported (the byte-level reports in between are throttled).
        report(true);
      } catch (thrown) {
        inFlightBytes -= seen;
        failure ??= thrown;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency ?? 4) }, worker));
  report(true);
  if (failure !== null) {
    const stored = `${done} of ${sopUids.length} instances are in the store; retrieving again fetches only the rest.`;
    if (failure instanceof PacsError) throw new PacsError(failure.code, `${failure.message} ${stored}`, { cause: failure });
    throw failure instanceof Error ? new Error(`${failure.message} ${stored}`, { cause: failure }) : new Error(String(failure));
  }
  return { folder, instancesTotal: sopUids.length, fetched: missing.length, alreadyPresent, bytesFetched, seconds: (performance.now() - started) / 1000 };
}
