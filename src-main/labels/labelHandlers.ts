/**
 * The contract's labels section served by the label store. A LabelError
 * becomes an error reply with its code; anything else thrown is an I/O
 * failure whose message is passed on.
 */
import { labelsCalls, labelsStreams } from '../shared/contract/labelsApi';
import { err, resultOf, type Err, type Result } from '../shared/result';
import { defineContract } from '../shared/rpc/contractDef';
import type { ServiceHandlers } from '../shared/rpc/server';
import { LabelError } from './labelError';
import type { LabelService } from './labelService';
import { exportNiftiLabels, importNiftiLabels, type SeriesVolumeSource } from './niftiLabelTransfer';

/** The labels calls and streams as a contract of their own (for typing and tests). */
export const labelsContract = defineContract({ calls: labelsCalls, streams: labelsStreams });
export type LabelsContract = typeof labelsContract;

function failure(thrown: unknown): Err {
  if (thrown instanceof LabelError) return err(thrown.code, thrown.message);
  return err('io', thrown instanceof Error ? thrown.message : String(thrown), thrown instanceof Error ? thrown.stack : undefined);
}

const attempt = <T>(run: () => Promise<T>): Promise<Result<T>> => resultOf(run, failure);

/** Handlers for labels.load/apply/flush/exportNifti/importNifti and the labels.saveStatus stream. */
export function createLabelHandlers(service: LabelService, loadVolume?: SeriesVolumeSource): ServiceHandlers<LabelsContract> {
  return {
    calls: {
      'labels.load': ({ seriesId }) => attempt(() => service.load(seriesId)),
      'labels.apply': ({ seriesId, baseRevision, changes, segments }) => attempt(() => service.apply(seriesId, { baseRevision, changes, segments })),
      'labels.flush': ({ seriesId }) => attempt(() => service.flush(seriesId)),
      'labels.exportNifti': ({ seriesId, path, imagePath }) =>
        attempt(() => {
          if (imagePath !== undefined && loadVolume === undefined) throw new LabelError('unavailable', 'This app cannot read series images for export.');
          const image = imagePath === undefined || loadVolume === undefined ? undefined : { path: imagePath, load: loadVolume };
          return exportNiftiLabels(service, seriesId, path, image);
        }),
      'labels.importNifti': ({ seriesId, path, baseRevision }) => attempt(() => importNiftiLabels(service, seriesId, path, baseRevision)),
    },
    streams: {
      'labels.saveStatus': async ({ seriesId }, emit, signal) => {
        const off = await service.onStatus(seriesId, emit);
        await new Promise<void>((resolve) => {
          signal.onCancel(() => {
            off();
            resolve();
          });
        });
      },
    },
  };
}
