/**
 * The PACS part of the fake app: connections kept in memory, one study with
 * one series on "the server", a retrieve that reports progress then imports,
 * and a STOW-RS that accepts the file. Enough for the PACS panel's tests to
 * drive every state through the real RPC server.
 */
import type { PacsConnection, RetrieveEvent, SeriesMatch, StoreResult, StudyMatch } from '../../../src-main/shared/contract/pacs';
import type { PacsContract } from '../../../src-main/pacs/pacsHandlers';
import type { ServiceHandlers } from '../../../src-main/shared/rpc/server';
import { err, ok } from '../../../src-main/shared/result';

export const fakeStudy: StudyMatch = {
  studyInstanceUid: '1.2.3', patientName: 'DOE^JANE', patientId: 'P-17', studyDate: '20240102', accessionNumber: 'A100', description: 'CT abdomen', modalities: ['CT'], seriesCount: 1, instanceCount: 3,
};
export const fakeSeries: SeriesMatch = { studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.4', modality: 'CT', description: 'Portal venous', seriesNumber: 2, instanceCount: 3, inWorkspace: false };

export interface FakePacs {
  readonly handlers: ServiceHandlers<PacsContract>;
  readonly connections: PacsConnection[];
  /** Secrets the app was given, by connection id (the fake keeps them to check they were sent). */
  readonly secrets: Map<string, string>;
  readonly sent: { connectionId: string | null; path: string }[];
  /** Retrieves waiting for the test to drive them. */
  readonly retrieves: { emit: (event: RetrieveEvent) => void; finish: () => void; fail: (message: string) => void }[];
}

export function createFakePacs(): FakePacs {
  const connections: PacsConnection[] = [];
  const secrets = new Map<string, string>();
  const sent: FakePacs['sent'] = [];
  const retrieves: FakePacs['retrieves'] = [];
  const overview = () => ({ connections: [...connections], secretStorage: 'workspace-file' as const, storeFolder: '/ws/pacs-store' });
  const handlers: ServiceHandlers<PacsContract> = {
    calls: {
      'pacs.connections': () => ok(overview()),
      'pacs.saveConnection': (input) => {
        const id = input.id ?? `conn-${connections.length + 1}`;
        if (input.secret !== undefined) secrets.set(id, input.secret);
        const saved: PacsConnection = { id, name: input.name, baseUrl: input.baseUrl, authKind: input.authKind, username: input.username ?? '', hasSecret: secrets.has(id), certificatePem: input.certificatePem ?? null };
        const at = connections.findIndex((connection) => connection.id === id);
        if (at === -1) connections.push(saved);
        else connections[at] = saved;
        return ok(saved);
      },
      'pacs.removeConnection': ({ id }) => {
        const at = connections.findIndex((connection) => connection.id === id);
        if (at !== -1) connections.splice(at, 1);
        return ok(overview());
      },
      'pacs.testConnection': ({ id }) => ok({ message: `${id} answers DICOMweb searches.` }),
      'pacs.archivePreview': ({ connectionId, query }) =>
        ok({
          archive: `${connectionId}, series with modality ${query.modality ?? 'any'}`,
          usable: [{ seriesInstanceUid: '1.2.3.4', modality: query.modality ?? 'CT', description: 'AX T1', slices: 120 }],
          leftOut: ['1.2.3.5: 3 slices (fewer than 8)'],
        }),
      'pacs.sendSeg': ({ connectionId, path }) => {
        if (connectionId === null) return err('bad-request', `The series of ${path} was not retrieved from a PACS: choose the server to send it to.`);
        sent.push({ connectionId, path });
        const result: StoreResult = { server: connectionId, accepted: ['1.2.3.4.5.99'], warnings: [], failures: [] };
        return ok(result);
      },
    },
    streams: {
      'pacs.search': (params, emit) => {
        if ('query' in params) emit({ kind: 'studies', studies: [fakeStudy], more: false });
        else emit({ kind: 'series', series: [fakeSeries] });
      },
      'pacs.retrieve': (_params, emit, signal) =>
        new Promise<void>((resolve, reject) => {
          signal.onCancel(resolve);
          retrieves.push({ emit, finish: resolve, fail: (message) => reject(new Error(message)) });
        }),
    },
  };
  return { handlers, connections, secrets, sent, retrieves };
}
