/**
 * Long jobs started from the UI (pre-training on an archive), run in the
 * trainer process one at a time and persisted in the workspace (jobStore).
 * A job that was queued or running when the app (or the trainer) stopped is
 * 'interrupted' and continues from its last checkpoint as soon as a trainer
 * is ready again: the pre-training job resumes by its registry name.
 */
import { randomUUID } from 'node:crypto';
import type { TrainerStatus } from '../shared/contract/compute';
import type { JobRecord } from '../shared/contract/jobRecord';
import type { PretrainJobParams } from '../shared/contract/pretrainJob';
import type { Subscription } from '../shared/rpc/client';
import type { PretrainEvent } from '../shared/contract/trainer/jobSchemas';
import type { JobStore } from './jobStore';
import type { SessionTrainer } from './seriesSession';
import { SessionError } from './sessionError';

export interface JobServiceOptions {
  readonly trainer: SessionTrainer;
  readonly store: JobStore;
  readonly workspaceDir: string;
  /** Progress updates per job at most this often (state changes go at once). */
  readonly throttleMs?: number;
  /** Checkpoints of a UI pre-training every N steps. */
  readonly checkpointEvery?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

export interface JobService {
  list(): JobRecord[];
  startPretrain(params: PretrainJobParams): Promise<JobRecord>;
  cancel(jobId: string): Promise<JobRecord>;
  resume(jobId: string): Promise<JobRecord>;
  /** Every record at once, then each change; returns the unsubscribe. */
  onUpdate(listener: (record: JobRecord) => void): () => void;
  /** Resolves once every change so far is written to jobs.json (the app awaits it on close). */
  saved(): Promise<void>;
  /** Stops listening to jobs (the app is closing); running jobs are left to the trainer's shutdown. */
  dispose(): void;
}

const finished: ReadonlySet<JobRecord['state']> = new Set(['done', 'failed', 'cancelled']);

/** Loads the stored jobs, marks unfinished ones interrupted, and runs them when the trainer is ready. */
export async function createJobService(options: JobServiceOptions): Promise<JobService> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? Date.now;
  const throttleMs = options.throttleMs ?? 500;
  const loaded = await options.store.load();
  if (loaded.problem !== null) log(loaded.problem);
  const jobs = new Map<string, JobRecord>(loaded.jobs.map((job) => [job.jobId, job]));
  const listeners = new Set<(record: JobRecord) => void>();
  const lastSent = new Map<string, number>();
  let running: { jobId: string; subscription: Subscription; stopping: boolean } | null = null;
  let saving: Promise<void> = Promise.resolve();
  let disposed = false;

  const iso = (): string => new Date(now()).toISOString();
  const persist = (): void => {
    const snapshot = [...jobs.values()];
    saving = saving.then(() => options.store.save(snapshot)).catch((thrown: unknown) => log(`saving ${options.store.file} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`));
  };
  const update = (jobId: string, patch: Partial<JobRecord>, important: boolean): JobRecord => {
    const before = jobs.get(jobId);
    if (before === undefined) throw new SessionError('not-found', `No job ${jobId}.`);
    const record: JobRecord = { ...before, ...patch, updatedAt: iso() };
    jobs.set(jobId, record);
    if (important) persist();
    const sentAt = lastSent.get(jobId) ?? -Infinity;
    if (important || now() - sentAt >= throttleMs) {
      lastSent.set(jobId, now());
      for (const listener of [...listeners]) listener(record);
    }
    return record;
  };

  for (const job of jobs.values()) {
    if (job.state === 'running' || job.state === 'queued') {
      jobs.set(job.jobId, { ...job, state: 'interrupted', message: 'The app stopped while this job ran; it continues from its last checkpoint when the trainer is ready.', updatedAt: iso() });
    }
  }
  persist();

  const onEvent = (jobId: string, event: PretrainEvent): void => {
    switch (event.type) {
      case 'loading':
        update(jobId, { phase: `${event.message} (${event.done}/${event.total})` }, false);
        return;
      case 'progress':
        update(jobId, { phase: `step ${event.step} of ${event.totalSteps}`, step: event.step, totalSteps: event.totalSteps, losses: event.losses, slicesPerSecond: event.slicesPerSecond, etaSeconds: event.etaSeconds }, false);
        return;
      case 'checkpoint':
        update(jobId, { checkpoint: { modelId: event.model.id, step: event.step, at: event.model.created } }, true);
        return;
      case 'note':
        update(jobId, { message: event.message }, true);
        return;
      case 'done':
        update(jobId, { state: 'done', phase: 'done', step: event.model.steps, totalSteps: Math.max(event.model.steps, event.model.totalSteps), etaSeconds: 0, resultModelId: event.model.id }, true);
        return;
    }
  };

  /** Starts the oldest waiting job when the trainer is ready and nothing runs. */
  const pump = (): void => {
    if (disposed || running !== null) return;
    const client = options.trainer.client();
    if (client === null) return;
    const next = [...jobs.values()].filter((job) => job.state === 'queued' || job.state === 'interrupted').sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (next === undefined) return;
    const { params } = next;
    update(next.jobId, { state: 'running', phase: 'starting', message: next.state === 'interrupted' ? 'Resuming from the last checkpoint.' : null }, true);
    const jobId = next.jobId;
    const subscription = client.listen(
      'pretrain',
      {
        workspaceDir: options.workspaceDir,
        archive: params.archive,
        out: params.out,
        ...(params.steps === undefined ? {} : { steps: params.steps }),
        ...(params.size === undefined ? {} : { size: params.size }),
        ...(params.batch === undefined ? {} : { batch: params.batch }),
        ...(params.width === undefined ? {} : { width: params.width }),
        ...(params.lr === undefined ? {} : { lr: params.lr }),
        checkpointEvery: options.checkpointEvery ?? 50,
      },
      {
        onEvent: (event) => onEvent(jobId, event),
        onEnd: (end) => {
          const stopping = running?.jobId === jobId && running.stopping;
          if (running?.jobId === jobId) running = null;
          const state = jobs.get(jobId)?.state;
          if (state !== 'running') {
            // Already settled (done), or cancelled by the user.
          } else if (end.reason === 'cancelled' || stopping) {
            update(jobId, { state: 'cancelled', phase: 'cancelled', etaSeconds: null, message: 'Cancelled; its last checkpoint is kept (Resume continues from it).' }, true);
          } else if (end.error?.code === 'unavailable') {
            update(jobId, { state: 'interrupted', phase: 'waiting for the trainer', etaSeconds: null, message: `The trainer stopped (${end.error.message}); the job continues from its last checkpoint when it is back.` }, true);
          } else if (end.reason === 'failed') {
            update(jobId, { state: 'failed', phase: 'failed', etaSeconds: null, message: end.error?.message ?? 'The job failed.' }, true);
          } else {
            update(jobId, { state: 'done', phase: 'done' }, true);
          }
          pump();
        },
      },
    );
    running = { jobId, subscription, stopping: false };
  };

  const offStatus = options.trainer.onStatus((status: TrainerStatus) => {
    if (status.state === 'ready') pump();
  });
  pump();

  return {
    list: () => [...jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    async startPretrain(params) {
      const busy = [...jobs.values()].find((job) => job.params.out === params.out && !finished.has(job.state));
      if (busy !== undefined) throw new SessionError('conflict', `A pre-training job writing "${params.out}" is already ${busy.state} (${busy.jobId}); cancel it or choose another name.`);
      const at = iso();
      const record: JobRecord = { jobId: randomUUID(), kind: 'pretrain', params, state: 'queued', phase: 'queued', step: 0, totalSteps: params.steps ?? 0, losses: {}, slicesPerSecond: 0, etaSeconds: null, checkpoint: null, resultModelId: null, message: null, createdAt: at, updatedAt: at };
      jobs.set(record.jobId, record);
      update(record.jobId, {}, true);
      pump();
      return jobs.get(record.jobId) ?? record;
    },
    async cancel(jobId) {
      const job = jobs.get(jobId);
      if (job === undefined) throw new SessionError('not-found', `No job ${jobId}.`);
      if (finished.has(job.state)) return job;
      if (running?.jobId === jobId) {
        running.stopping = true;
        const { subscription } = running;
        // The stream's end settles the record as 'cancelled' (its checkpoint saved by the trainer first).
        await subscription.cancel();
      }
      const after = jobs.get(jobId) ?? job;
      return after.state === 'cancelled' ? after : update(jobId, { state: 'cancelled', phase: 'cancelled', etaSeconds: null, message: 'Cancelled before it finished; Resume continues from its last checkpoint.' }, true);
    },
    async resume(jobId) {
      const job = jobs.get(jobId);
      if (job === undefined) throw new SessionError('not-found', `No job ${jobId}.`);
      if (job.state === 'done' || job.state === 'running' || job.state === 'queued') return job;
      const record = update(jobId, { state: 'queued', phase: 'queued', message: 'Queued to continue from its last checkpoint.' }, true);
      pump();
      return jobs.get(jobId) ?? record;
    },
    onUpdate(listener) {
      listeners.add(listener);
      for (const record of jobs.values()) listener(record);
      return () => listeners.delete(listener);
    },
    saved: () => saving,
    dispose() {
      disposed = true;
      offStatus();
      listeners.clear();
    },
  };
}
