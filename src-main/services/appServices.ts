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
import type { ImportService } from '../importing/importService';
import { createSeriesHandlers } from '../importing/seriesHandlers';
import { createArchiveHandlers } from '../importing/archiveHandlers';
import { createLabelHandlers } from '../labels/labelHandlers';
import type { LabelService } from '../labels/labelService';
import { createSegHandlers } from '../labels/segHandlers';
import { createSessionHandlers } from '../session/sessionHandlers';
import type { SessionServices } from '../session/loopServices';
import { createPacsHandlers } from '../pacs/pacsHandlers';
import { createPacsService } from '../pacs/pacsService';
import { workspaceSecretFile, type SecretStore } from '../pacs/secretStore';

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
  /** Where PACS passwords and tokens are kept: the OS keychain in the desktop app; default, a 0600 file in the workspace. */
  readonly pacsSecrets?: SecretStore;
}

/**
 * Which model made the predictions accepted on a series, for DICOM-SEG's
 * algorithm version: the open session's model (registry id and version),
 * else the newest model the series' session saved; null when none is known.
 */
async function sessionModelVersion(session: SessionServices, seriesId: string): Promise<string | null> {
  const status = session.sessions.status(seriesId);
  if (status.modelVersion > 0) return `${status.savedModelId ?? 'unsaved session model'} (version ${status.modelVersion})`;
  // The session saves its model under this name (src-main/session/seriesSession.ts).
  const name = `session ${seriesId}`.slice(0, 120);
  try {
    const { models } = await session.sessions.models();
    const saved = models.find((model) => model.name === name);
    return saved === undefined ? null : `${saved.id} (${saved.name} v${saved.version})`;
  } catch {
    return null; // an unreadable registry must not stop an export; the file then says the version was not recorded
  }
}

export function createAppServices(options: AppServicesOptions): ServiceHandlers<AppContract> {
  const { supervisor } = options;
  const series = createSeriesHandlers(options.series);
  const archive = createArchiveHandlers({ workspaceDir: options.workspaceDir });
  const labels = createLabelHandlers(options.labels, (seriesId) => options.series.loadVolume(seriesId));
  const seg = createSegHandlers({
    series: options.series,
    labels: options.labels,
    softwareVersion: options.version,
    modelVersionOf: (seriesId) => sessionModelVersion(options.session, seriesId),
  });
  const session = createSessionHandlers(options.session.sessions, options.session.jobs);
  const pacs = createPacsHandlers(createPacsService({ workspaceDir: options.workspaceDir, series: options.series, secrets: options.pacsSecrets ?? workspaceSecretFile(options.workspaceDir) }));
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
      'trainer.setBackend': async ({ preference, threads }) => ok(await supervisor.setPreference(preference, threads)),
      'trainer.restart': async () => ok(await supervisor.restart()),
      ...series.calls,
      ...archive.calls,
      ...labels.calls,
      ...seg.calls,
      ...session.calls,
      ...pacs.calls,
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
      ...pacs.streams,
    },
  };
}
