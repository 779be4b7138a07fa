/**
 * What a host (Electron main, the browser host) creates for the interactive
 * loop: the session service and the job service over its trainer
 * supervisor, label store and workspace, and their shutdown.
 */
import type { LabelService } from '../labels/labelService';
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
}): Promise<SessionServices> {
  const sessions = createSessionService({ trainer: options.trainer, labels: options.labels, workspaceDir: options.workspaceDir, ...(options.log === undefined ? {} : { log: options.log }) });
  const jobs = await createJobService({ trainer: options.trainer, store: createJobStore(options.workspaceDir), workspaceDir: options.workspaceDir, ...(options.log === undefined ? {} : { log: options.log }) });
  return {
    sessions,
    jobs,
    async shutdown() {
      jobs.dispose();
      await sessions.shutdown();
    },
  };
}
