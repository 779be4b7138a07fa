/**
 * The contract's series section served by an ImportService: the lead wires
 * these into the app services (`...handlers.calls`, `...handlers.streams`).
 */
import { seriesCalls, seriesStreams } from '../shared/contract/seriesApi';
import { err, ok, type Err } from '../shared/result';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import type { ImportService } from './importService';
import { SeriesError } from './importService';

/** The series calls and streams as a contract of their own (for typing and tests). */
export const seriesContract = defineContract({ calls: seriesCalls, streams: seriesStreams });
export type SeriesContract = typeof seriesContract;

function failure(thrown: unknown): Err {
  if (thrown instanceof SeriesError) return err(thrown.code, thrown.message);
  return err('io', thrown instanceof Error ? thrown.message : String(thrown));
}

/** Handlers for the series calls (list, remove, images, checkFiles, relocate) and the series.import stream. */
export function createSeriesHandlers(service: ImportService): ServiceHandlers<SeriesContract> {
  return {
    calls: {
      'series.list': () => ok(service.listSeries()),
      'series.remove': async ({ seriesId }) => {
        try {
          return ok(await service.removeSeries(seriesId));
        } catch (thrown) {
          return failure(thrown);
        }
      },
      'series.images': ({ seriesId }) => {
        try {
          return ok(service.seriesImages(seriesId));
        } catch (thrown) {
          return failure(thrown);
        }
      },
      'series.checkFiles': async ({ seriesId }) => {
        try {
          return ok(await service.checkFiles(seriesId));
        } catch (thrown) {
          return failure(thrown);
        }
      },
      'series.relocate': async ({ seriesId, folder }) => {
        try {
          return ok(await service.relocate(seriesId, folder));
        } catch (thrown) {
          return failure(thrown);
        }
      },
    },
    streams: {
      'series.import': async ({ paths }, emit, signal) => {
        const report = await service.importPaths(paths, {
          signal,
          onProgress: ({ filesSeen, filesRead }) => emit({ kind: 'progress', filesSeen, filesRead }),
        });
        emit({ kind: 'done', report });
      },
    },
  };
}
