/**
 * The contract's DICOM-SEG calls (labels.exportSeg, labels.importSeg) served
 * over the series index and the label store. The lead wires them into the
 * app services (`...createSegHandlers(options).calls`).
 */
import { segCalls } from '../shared/contract/segApi';
import { err, resultOf, type Err, type Result } from '../shared/result';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import { LabelError } from './labelError';
import { exportSegLabels, importSegLabels, type SegTransferOptions } from './segLabelTransfer';
import { SegReadError } from '../dicom/seg/segReader';
import { SegSourceError } from '../dicom/seg/segSource';
import { SegExportError } from '../dicom/seg/segWriter';

/** The SEG calls as a contract of their own (for typing and tests). */
export const segContract = defineContract({ calls: segCalls, streams: {} });
export type SegContract = typeof segContract;

const errno = (thrown: unknown): string | undefined => {
  for (let cause: unknown = thrown; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

function failure(thrown: unknown): Err {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (thrown instanceof LabelError) return err(thrown.code, message);
  if (thrown instanceof SegExportError || thrown instanceof SegReadError) return err('bad-request', message);
  if (thrown instanceof SegSourceError) return err(thrown.code === 'missing' ? 'not-found' : 'unavailable', message);
  const code = errno(thrown);
  if (code === 'ENOENT') return err('not-found', message);
  if (code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT') return err('disk-full', message);
  return err('io', message, thrown instanceof Error ? thrown.stack : undefined);
}

const attempt = <T>(run: () => Promise<T>): Promise<Result<T>> => resultOf(run, failure);

/** Handlers for labels.exportSeg and labels.importSeg. */
export function createSegHandlers(options: SegTransferOptions): ServiceHandlers<SegContract> {
  return {
    calls: {
      'labels.exportSeg': (params) => attempt(() => exportSegLabels(options, params)),
      'labels.importSeg': ({ seriesId, path }) => attempt(() => importSegLabels(options, seriesId, path)),
    },
    streams: {},
  };
}
