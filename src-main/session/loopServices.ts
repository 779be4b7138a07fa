/**
 * What a host (Electron main, the browser host) creates for the interactive
 * loop: the session service and the job service over its trainer
 * supervisor, label store and workspace, and their shutdown.
 */
import type { LabelService } from '../labels/labelService';
import { openPacsConnections } from '../pacs/pacsConnections';
import type { SecretStore } from '../pacs/secretStore';
import { createJobService, type JobService } from './jobService';
import { createJobStore } from './jobStore';
import type { SessionTrainer } from './seriesSession';
import { createSessionService, type SessionService } from './sessionService';

export interface SessionServices {
  readonly sessions: SessionService;
  readonly jobs: JobService;
  /** Saves and closes every session and stops following jobs (call before the trainer is stopped). */
  shutdown(): Promise<void>;
}

export async function createSessionServices(options: {
  readonly trainer: SessionTrainer;
  readonly labels: LabelService;
  readonly workspaceDir: string;
  readonly log?: (line: string) => void;
  /** Where the PACS connections' secrets are (a job may pre-train on a PACS query); none: PACS-backed jobs fail with a message. */
  readonly pacsSecrets?: SecretStore;
}): Promise<SessionServices> {
  const sessions = createSessionService({ trainer: options.trainer, labels: options.labels, workspaceDir: options.workspaceDir, ...(options.log === undefined ? {} : { log: options.log }) });
  const { pacsSecrets } = options;
  const jobs = await createJobService({
    trainer: options.trainer,
    store: createJobStore(options.workspaceDir),
    workspaceDir: options.workspaceDir,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(pacsSecrets === undefined ? {} : { pacsEndpoint: (connectionId: string) => openPacsConnections(options.workspaceDir, pacsSecrets).endpoint(connectionId) }),
  });
  return {
    sessions,
    jobs,
    async shutdown() {
      jobs.dispose();
      await sessions.shutdown();
    },
  };
}
