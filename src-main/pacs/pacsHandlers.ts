/**
 * The contract's PACS calls and streams served over a PacsService. Searches
 * and retrieves are streams so the renderer can cancel them; a cancelled
 * stream aborts its HTTP requests at once.
 */
import { pacsCalls, pacsStreams } from '../shared/contract/pacsApi';
import { err, ok, type Err, type ErrorCode, type Result } from '../shared/result';
import type { CancelSignal } from '../shared/rpc/cancelSignal';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import { PacsError, type PacsErrorCode } from './pacsError';
import type { PacsService } from './pacsService';

export const pacsContract = defineContract({ calls: pacsCalls, streams: pacsStreams });
export type PacsContract = typeof pacsContract;

const codeOf: Readonly<Record<PacsErrorCode, ErrorCode>> = {
  unavailable: 'unavailable',
  denied: 'bad-request',
  'not-found': 'not-found',
  certificate: 'bad-request',
  malformed: 'unavailable',
  server: 'unavailable',
  cancelled: 'cancelled',
  'bad-request': 'bad-request',
};

function failure(thrown: unknown): Err {
  if (thrown instanceof PacsError) return err(codeOf[thrown.code], thrown.message);
  return err('io', thrown instanceof Error ? thrown.message : String(thrown));
}

async function attempt<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (thrown) {
    return failure(thrown);
  }
}

/** An AbortSignal that follows the stream's cancel signal. */
function abortSignalOf(signal: CancelSignal): AbortSignal {
  const controller = new AbortController();
  signal.onCancel(() => controller.abort());
  return controller.signal;
}

export function createPacsHandlers(service: PacsService): ServiceHandlers<PacsContract> {
  return {
    calls: {
      'pacs.connections': () => attempt(() => service.overview()),
      'pacs.saveConnection': (input) => attempt(() => service.connections.save(input)),
      'pacs.removeConnection': ({ id }) =>
        attempt(async () => {
          await service.connections.remove(id);
          return service.overview();
        }),
      'pacs.testConnection': ({ id }) => attempt(async () => ({ message: await service.test(id) })),
      'pacs.archivePreview': ({ connectionId, query }) => attempt(() => service.archivePreview(connectionId, query)),
      'pacs.sendSeg': ({ connectionId, path, seriesId }) => attempt(() => service.sendSeg(connectionId, path, seriesId)),
    },
    streams: {
      'pacs.search': async (params, emit, signal) => {
        const abort = abortSignalOf(signal);
        if ('query' in params) emit({ kind: 'studies', ...(await service.searchStudies(params.connectionId, params.query, abort)) });
        else emit({ kind: 'series', series: await service.searchSeries(params.connectionId, params.studyInstanceUid, abort) });
      },
      'pacs.retrieve': async ({ connectionId, studyInstanceUid, seriesInstanceUid }, emit, signal) => {
        emit(await service.retrieve(connectionId, { study: studyInstanceUid, series: seriesInstanceUid }, emit, abortSignalOf(signal)));
      },
    },
  };
}
