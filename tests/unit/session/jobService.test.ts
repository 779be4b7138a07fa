/**
 * Long jobs from the UI: a pre-training runs in the (fake) trainer with its
 * progress and checkpoints recorded in the workspace's jobs.json; a job that
 * was running when the app stopped is interrupted and resumes (same registry
 * name) when the trainer is ready; cancel keeps the checkpoint for resume.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJobService, type JobService } from '../../../src-main/session/jobService';
import { createJobStore } from '../../../src-main/session/jobStore';
import { createTrainerSupervisor, type TrainerSupervisor } from '../../../src-main/services/trainerSupervisor';
import type { JobRecord } from '../../../src-main/shared/contract/jobRecord';
import type { CancelSignal } from '../../../src-main/shared/rpc/cancelSignal';
import type { PretrainEvent, PretrainParams } from '../../../src-main/shared/contract/trainer/jobSchemas';
import type { ModelRecord } from '../../../src-main/shared/contract/modelRecord';
import { createFakeSpawner } from '../services/fakeTrainer';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const temps: Array<{ cleanup(): void }> = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const temp of temps.splice(0)) temp.cleanup();
});

function record(steps: number, totalSteps: number): ModelRecord {
  return {
    format: 'macl-model-record', formatVersion: 1, id: `m-${steps}`, version: 1, created: new Date(0).toISOString(), weightBytes: 1,
    name: 'pre', kind: 'pretrained', parentId: null, spec: { inChannels: 1, width: 4, classes: null, size: 64 }, steps, totalSteps,
    losses: { total: 1 }, backend: 'cpu', device: 'fake', data: { archiveRoot: '/a', labelsPath: null, series: [], seriesCount: 0 }, optimizerState: true, settings: {},
  };
}

interface Call {
  readonly params: PretrainParams;
  readonly emit: (event: PretrainEvent) => void;
  readonly signal: CancelSignal;
  finish(): void;
}

async function setup(dir: string): Promise<{ jobs: JobService; calls: Call[]; supervisor: TrainerSupervisor; updates: JobRecord[] }> {
  const calls: Call[] = [];
  const { spawn } = createFakeSpawner({
    pretrain: (params, emit, signal) =>
      new Promise<void>((resolve) => {
        calls.push({ params, emit, signal, finish: resolve });
        signal.onCancel(resolve);
      }),
  });
  const supervisor = createTrainerSupervisor({ spawn, preference: 'cpu' });
  await supervisor.start();
  const jobs = await createJobService({ trainer: supervisor, store: createJobStore(dir), workspaceDir: dir, throttleMs: 0 });
  const updates: JobRecord[] = [];
  jobs.onUpdate((update) => updates.push(update));
  cleanups.push(async () => {
    jobs.dispose();
    await supervisor.dispose();
  });
  return { jobs, calls, supervisor, updates };
}

describe('job service', () => {
  it('runs a pre-training with progress and checkpoints, persisted in jobs.json, to done', async () => {
    const temp = tempFolder('jobs');
    temps.push(temp);
    const { jobs, calls } = await setup(temp.dir);
    const started = await jobs.startPretrain({ archive: '/archive', out: 'pre', steps: 4 });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.params).toMatchObject({ archive: '/archive', out: 'pre', steps: 4, workspaceDir: temp.dir });
    calls[0]?.emit({ type: 'progress', step: 2, totalSteps: 4, losses: { total: 1.5 }, lr: 0.01, slicesPerSecond: 3, etaSeconds: 5 });
    calls[0]?.emit({ type: 'checkpoint', step: 2, model: record(2, 4) });
    await vi.waitFor(() => expect(jobs.list()[0]).toMatchObject({ jobId: started.jobId, state: 'running', step: 2, totalSteps: 4, etaSeconds: 5, checkpoint: { modelId: 'm-2', step: 2 } }));
    calls[0]?.emit({ type: 'done', model: record(4, 4), seconds: 1 });
    calls[0]?.finish();
    await vi.waitFor(() => expect(jobs.list()[0]).toMatchObject({ state: 'done', resultModelId: 'm-4' }));
    await jobs.saved();
    const stored = JSON.parse(readFileSync(createJobStore(temp.dir).file, 'utf8')) as { jobs: JobRecord[] };
    expect(stored.jobs[0]).toMatchObject({ state: 'done', resultModelId: 'm-4' });
    await expect(jobs.startPretrain({ archive: '/archive', out: 'pre' })).resolves.toMatchObject({ state: 'running' });
  });

  it('refuses a second job writing the same name while one is unfinished', async () => {
    const temp = tempFolder('jobs');
    temps.push(temp);
    const { jobs } = await setup(temp.dir);
    await jobs.startPretrain({ archive: '/archive', out: 'pre' });
    await expect(jobs.startPretrain({ archive: '/other', out: 'pre' })).rejects.toThrow(/already running/);
  });

  it('resumes a job that was running when the app stopped, and cancel keeps it resumable', async () => {
    const temp = tempFolder('jobs');
    temps.push(temp);
    const first = await setup(temp.dir);
    await first.jobs.startPretrain({ archive: '/archive', out: 'pre', steps: 10 });
    await vi.waitFor(() => expect(first.calls).toHaveLength(1));
    first.calls[0]?.emit({ type: 'checkpoint', step: 5, model: record(5, 10) });
    await vi.waitFor(() => expect(first.jobs.list()[0]).toMatchObject({ checkpoint: { step: 5 } }));
    await first.jobs.saved();
    // The app stops without the job finishing: the stored record still says 'running'.
    first.jobs.dispose();

    const second = await setup(temp.dir);
    await vi.waitFor(() => expect(second.calls).toHaveLength(1));
    expect(second.calls[0]?.params.out).toBe('pre');
    const resumed = second.jobs.list()[0];
    expect(resumed).toMatchObject({ state: 'running', checkpoint: { step: 5 }, message: 'Resuming from the last checkpoint.' });
    const cancelled = await second.jobs.cancel(resumed?.jobId ?? '');
    expect(cancelled.state).toBe('cancelled');
    expect(second.calls[0]?.signal.cancelled).toBe(true);
    await second.jobs.resume(cancelled.jobId);
    await vi.waitFor(() => expect(second.calls).toHaveLength(2));
    expect(second.jobs.list()[0]?.state).toBe('running');
  });
});
