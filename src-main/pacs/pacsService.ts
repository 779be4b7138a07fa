/**
 * The PACS side of the workstation over one workspace: saved connections
 * (secrets in a SecretStore), searches, retrieves into the workspace store
 * that end in an ordinary import, and STOW-RS of exported DICOM-SEGs. The
 * app services, the browser host and `macl pacs` all use this.
 */
import type { ImportService } from '../importing/importService';
import type { PacsConnections } from '../shared/contract/pacsApi';
import type { RetrieveEvent, RetrieveProgress, SeriesMatch, StoreResult, StudyMatch, StudyQuery } from '../shared/contract/pacs';
import { PacsClient } from './pacsClient';
import { openPacsConnections, type PacsConnectionStore } from './pacsConnections';
import { PacsError } from './pacsError';
import { openPacsOrigins } from './pacsOrigins';
import { retrieveSeriesToStore } from './pacsRetrieve';
import { searchSeries, searchStudies } from './pacsSearch';
import { sendFiles } from './pacsSend';
import { pacsStoreDir, seriesStoreDir, storedInstances } from './pacsStoreFolder';
import type { SecretStore } from './secretStore';

export interface PacsServiceOptions {
  readonly workspaceDir: string;
  readonly series: ImportService;
  readonly secrets: SecretStore;
}

export interface PacsService {
  readonly connections: PacsConnectionStore;
  overview(): Promise<PacsConnections>;
  test(connectionId: string, signal?: AbortSignal): Promise<string>;
  searchStudies(connectionId: string, query: StudyQuery, signal?: AbortSignal): Promise<{ studies: StudyMatch[]; more: boolean }>;
  searchSeries(connectionId: string, studyInstanceUid: string, signal?: AbortSignal): Promise<SeriesMatch[]>;
  retrieve(connectionId: string, uids: { study: string; series: string }, onProgress: (progress: RetrieveProgress) => void, signal?: AbortSignal): Promise<Extract<RetrieveEvent, { kind: 'done' }>>;
  /** STOW-RS of `file` to `connectionId`, or (null) to the server the series `seriesId` came from. */
  sendSeg(connectionId: string | null, file: string, seriesId?: string, signal?: AbortSignal): Promise<StoreResult>;
}

export function createPacsService(options: PacsServiceOptions): PacsService {
  const connections = openPacsConnections(options.workspaceDir, options.secrets);
  const origins = openPacsOrigins(options.workspaceDir);
  const clientFor = async (connectionId: string): Promise<PacsClient> => new PacsClient(await connections.endpoint(connectionId));
  return {
    connections,
    async overview() {
      return { connections: await connections.list(), secretStorage: options.secrets.kind, storeFolder: pacsStoreDir(options.workspaceDir) };
    },
    async test(connectionId, signal) {
      const client = await clientFor(connectionId);
      const studies = await client.searchStudies({ limit: '1' }, signal);
      return `${client.label} answers DICOMweb searches${studies.length === 0 ? ' (it holds no studies yet)' : ''}.`;
    },
    async searchStudies(connectionId, query, signal) {
      return searchStudies(await clientFor(connectionId), query, signal);
    },
    async searchSeries(connectionId, studyInstanceUid, signal) {
      const found = await searchSeries(await clientFor(connectionId), studyInstanceUid, signal);
      return Promise.all(
        found.map(async (match) => {
          if (match.instanceCount === null) return match;
          const stored = await storedInstances(seriesStoreDir(options.workspaceDir, match.studyInstanceUid || studyInstanceUid, match.seriesInstanceUid)).catch(() => new Set<string>());
          return { ...match, inWorkspace: stored.size >= match.instanceCount };
        }),
      );
    },
    async retrieve(connectionId, uids, onProgress, signal) {
      const client = await clientFor(connectionId);
      const outcome = await retrieveSeriesToStore({ client, workspaceDir: options.workspaceDir, studyInstanceUid: uids.study, seriesInstanceUid: uids.series, onProgress, ...(signal === undefined ? {} : { signal }) });
      const report = await options.series.importPaths([outcome.folder], { ...(signal === undefined ? {} : { signal }) });
      if (report.series.length === 0) {
        const reasons = report.refused.slice(0, 3).map((refused) => `${refused.path}: ${refused.reason}`).join('; ');
        throw new PacsError('malformed', `${client.label}: the retrieved series ${uids.series} could not be imported (${reasons || 'no DICOM series in it'}).`);
      }
      await origins.record(uids.series, connectionId);
      return { kind: 'done', series: report.series, fetched: outcome.fetched, alreadyPresent: outcome.alreadyPresent, bytesFetched: outcome.bytesFetched, seconds: outcome.seconds };
    },
    async sendSeg(connectionId, file, seriesId, signal) {
      let target = connectionId;
      if (target === null) {
        const source = seriesId === undefined ? undefined : options.series.listSeries().find((summary) => summary.seriesId === seriesId);
        target = source === undefined ? null : await origins.of(source.seriesInstanceUid);
        if (target === null) throw new PacsError('bad-request', `The series of ${file} was not retrieved from a PACS: choose the server to send it to.`);
      }
      return sendFiles(await clientFor(target), [file], signal);
    },
  };
}
