/**
 * Long background jobs (pre-training on an archive): every record the app
 * streams on `jobs.updates` (state, progress, ETA, checkpoint), and the
 * actions to start, cancel and resume them. Jobs live in the workspace, so
 * an interrupted one is listed again after an app restart and resumed from
 * its last checkpoint. A finished pre-training refreshes the model list: it
 * becomes the default initialisation for fine-tuning.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { JobRecord } from '../../src-main/shared/contract/jobRecord';
import type { PretrainJobParams } from '../../src-main/shared/contract/pretrainJob';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import type { Result } from '../../src-main/shared/result';
import { useConnectionStore } from './connection';
import { useModelsStore } from './models';

export type { JobRecord };

export const useJobsStore = defineStore('jobs', () => {
  const connectionStore = useConnectionStore();
  const models = useModelsStore();
  const records = shallowRef<ReadonlyMap<string, JobRecord>>(new Map());
  /** The job whose action waits for the app's answer ('new' for a start). */
  const pending = ref<string | null>(null);
  const actionError = ref<string | null>(null);
  const streamError = ref<string | null>(null);
  let unfollow: Unsubscribe | null = null;

  /** Newest first. */
  const jobs = computed<readonly JobRecord[]>(() => [...records.value.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  const running = computed(() => jobs.value.filter((job) => job.state === 'running' || job.state === 'queued'));

  /** Keeps the newest record of a job (a call's answer may arrive after a later stream update). */
  function apply(record: JobRecord): void {
    const before = records.value.get(record.jobId);
    if (before !== undefined && before.updatedAt > record.updatedAt) return;
    const next = new Map(records.value);
    next.set(record.jobId, record);
    records.value = next;
    if (record.state === 'done' && before?.state !== 'done') void models.refresh();
  }

  /** Follows `jobs.updates` (again after every reconnection) until stop(). */
  function start(): void {
    if (unfollow !== null) return;
    unfollow = connectionStore.requireConnection().follow('jobs.updates', {}, {
      onEvent: (record) => {
        streamError.value = null;
        apply(record);
      },
      onEnd: (end) => {
        streamError.value = end.error?.message ?? `The job updates stopped (${end.reason}).`;
      },
    });
  }

  function stop(): void {
    unfollow?.();
    unfollow = null;
  }

  async function run(key: string, call: () => Promise<Result<JobRecord>>): Promise<JobRecord | null> {
    pending.value = key;
    actionError.value = null;
    try {
      const result = await call();
      if (!result.ok) {
        actionError.value = result.error.message;
        return null;
      }
      apply(result.value);
      return result.value;
    } finally {
      pending.value = null;
    }
  }

  /** Queues a pre-training on an archive folder; a job named like an earlier one resumes it. */
  function startPretrain(params: PretrainJobParams): Promise<JobRecord | null> {
    return run('new', () => connectionStore.requireConnection().call('jobs.startPretrain', params));
  }

  function cancel(jobId: string): Promise<JobRecord | null> {
    return run(jobId, () => connectionStore.requireConnection().call('jobs.cancel', { jobId }));
  }

  function resume(jobId: string): Promise<JobRecord | null> {
    return run(jobId, () => connectionStore.requireConnection().call('jobs.resume', { jobId }));
  }

  onScopeDispose(stop);

  return { records, jobs, running, pending, actionError, streamError, start, stop, apply, startPretrain, cancel, resume };
});
