/**
 * The implementation of the app contract, shared by the Electron main process
 * and the browser host: both serve exactly these handlers, over their own
 * transport.
 */
import { ok } from '../shared/result';
import type { AppContract, AppInfo } from '../shared/contract/appContract';
import type { ServiceHandlers } from '../shared/rpc/server';
import type { TrainerStatus } from '../shared/contract/compute';
import type { TrainerSupervisor } from './trainerSupervisor';
import type { ImportService } from '../dicom/importService';
import { createSeriesHandlers } from '../dicom/seriesHandlers';
import { createArchiveHandlers } from '../dicom/archiveHandlers';
import { createLabelHandlers } from '../labels/labelHandlers';
import type { LabelService } from '../labels/labelService';
import { createSegHandlers } from '../dicom/seg/segHandlers';
import { createSessionHandlers } from '../session/sessionHandlers';
import type { SessionServices } from '../session/sessionServices';

export interface AppServicesOptions {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly supervisor: TrainerSupervisor;
  /** The workspace's series index and import. */
  readonly series: ImportService;
  /** The workspace folder (archive scans keep their indexes there). */
  readonly workspaceDir: string;
  /** The workspace's label store (the host closes it on shutdown, so the last edits are saved). */
  readonly labels: LabelService;
  /** The interactive sessions and long jobs (the host shuts them down before the trainer). */
  readonly session: SessionServices;
}

export function createAppServices(options: AppServicesOptions): ServiceHandlers<AppContract> {
  const { supervisor } = options;
  const series = createSeriesHandlers(options.series);
  const archive = createArchiveHandlers({ workspaceDir: options.workspaceDir });
  const labels = createLabelHandlers(options.labels, (seriesId) => options.series.loadVolume(seriesId));
  const seg = createSegHandlers({ series: options.series, labels: options.labels, softwareVersion: options.version });
  const session = createSessionHandlers(options.session.sessions, options.session.jobs);
  const info: AppInfo = {
    name: 'MACL Workstation',
    version: options.version,
    host: options.host,
    platform: `${process.platform}-${process.arch}`,
  };
  return {
    calls: {
      'app.info': () => ok(info),
      'trainer.status': () => ok(supervisor.status()),
      'trainer.setBackend': async ({ preference }) => ok(await supervisor.setPreference(preference)),
      'trainer.restart': async () => ok(await supervisor.restart()),
      ...series.calls,
      ...archive.calls,
      ...labels.calls,
      ...seg.calls,
      ...session.calls,
    },
    streams: {
      'trainer.statusUpdates': (_params, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(supervisor.status());
          const off = supervisor.onStatus((status: TrainerStatus) => emit(status));
          signal.onCancel(() => {
            off();
            resolve();
          });
        }),
      ...series.streams,
      ...archive.streams,
      ...labels.streams,
      ...session.streams,
    },
  };
}
