/**
 * The interactive-loop part of the fake app (sessionApi.ts): sessions per
 * series that answer the controls with a status, a model registry, and
 * jobs. Nothing trains: the test publishes the events a trainer would
 * (status, losses, slices, volumeDone, job updates) and reads what the
 * renderer called.
 */
import type { AppContract } from '../../../src-main/shared/contract/appContract';
import type { SeriesId } from '../../../src-main/shared/contract/series';
import type { JobRecord } from '../../../src-main/shared/contract/jobRecord';
import type { ModelList } from '../../../src-main/shared/contract/modelSummary';
import type { SessionEvent, SessionSettings, SessionStatus } from '../../../src-main/shared/contract/sessionApi';
import { runsFromLayer, runsToBytes } from '../../../src-main/shared/labels/labelRuns';
import type { CallHandlers, StreamHandlers } from '../../../src-main/shared/rpc/server';
import { err, ok } from '../../../src-main/shared/result';

type SessionCallName = 'session.defaults' | 'session.start' | 'session.status' | 'session.focus' | 'session.pause' | 'session.resume'
  | 'session.cancel' | 'session.reset' | 'session.close' | 'models.list' | 'jobs.list' | 'jobs.startPretrain' | 'jobs.cancel' | 'jobs.resume';

export const tinySettings: SessionSettings = { burstSteps: 4, size: 32, batch: 2, width: 4, lr: 0.001, inferBatch: 4 };

/** A closed (or any) status of a series; override what a test needs. */
export function makeSessionStatus(seriesId: string, overrides: Partial<SessionStatus> = {}): SessionStatus {
  return {
    kind: 'status', seriesId: seriesId as SeriesId, sessionId: null, phase: 'closed', step: 0, burstStep: 0, burstSteps: 0,
    loss: null, losses: {}, stepsPerSecond: 0, slicesDone: 0, slicesTotal: 0, backend: null, device: '', modelVersion: 0,
    lastUpdateAt: null, init: null, settings: null, savedModelId: null, message: null, ...overrides,
  };
}

/** A job record; override what a test needs. */
export function makeJob(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    jobId: 'job-1', kind: 'pretrain', params: { archive: '/data/archive', out: 'archive-pretrain' }, state: 'running',
    phase: 'step 120 of 1000', step: 120, totalSteps: 1000, losses: { total: 2.5 }, slicesPerSecond: 14.2, etaSeconds: 620,
    checkpoint: { modelId: 'archive-pretrain-v1', step: 100, at: '2024-05-01T10:00:00.000Z' }, resultModelId: null, message: null,
    createdAt: '2024-05-01T09:00:00.000Z', updatedAt: '2024-05-01T10:01:00.000Z', ...overrides,
  };
}

/** The labels of one slice as the wire carries them. */
export function sliceRuns(values: Uint8Array): Uint8Array {
  return runsToBytes(runsFromLayer(values));
}

export interface SessionCall {
  readonly method: SessionCallName;
  readonly params: Record<string, unknown>;
}

export interface FakeSessionService {
  readonly calls: SessionCall[];
  /** The status each series' session is in (absent: closed). */
  readonly statuses: Map<string, SessionStatus>;
  models: ModelList;
  readonly jobs: Map<string, JobRecord>;
  /** Sends an event to every follower of the series' session.events (a status also becomes the stored one). */
  publish(seriesId: string, event: SessionEvent): void;
  /** Changes the stored status of a series and streams it. */
  update(seriesId: string, change: Partial<SessionStatus>): SessionStatus;
  /** Stores a job record and streams it on jobs.updates. */
  publishJob(record: JobRecord): void;
  followers(seriesId: string): number;
  /** Makes the next session/job call fail with this error. */
  failNext(message: string): void;
}

export function createFakeSession(): { service: FakeSessionService; calls: Pick<CallHandlers<AppContract>, SessionCallName>; streams: Pick<StreamHandlers<AppContract>, 'session.events' | 'jobs.updates'> } {
  const statuses = new Map<string, SessionStatus>();
  const followers = new Map<string, Set<(event: SessionEvent) => void>>();
  const jobFollowers = new Set<(record: JobRecord) => void>();
  const calls: SessionCall[] = [];
  let sessions = 0;
  let nextFailure: string | null = null;

  const service: FakeSessionService = {
    calls,
    statuses,
    models: { models: [], defaultInit: null, problems: [] },
    jobs: new Map(),
    publish(seriesId, event) {
      if (event.kind === 'status') statuses.set(seriesId, event);
      for (const emit of followers.get(seriesId) ?? []) emit(event);
    },
    update(seriesId, change) {
      const next = { ...(statuses.get(seriesId) ?? makeSessionStatus(seriesId)), ...change };
      service.publish(seriesId, next);
      return next;
    },
    publishJob(record) {
      service.jobs.set(record.jobId, record);
      for (const emit of jobFollowers) emit(record);
    },
    followers: (seriesId) => followers.get(seriesId)?.size ?? 0,
    failNext(message) {
      nextFailure = message;
    },
  };

  const record = (method: SessionCallName, params: object): string | null => {
    calls.push({ method, params: { ...params } });
    const failure = nextFailure;
    nextFailure = null;
    return failure;
  };
  const findSession = (sessionId: string): string | undefined => [...statuses].find(([, status]) => status.sessionId === sessionId)?.[0];
  const control = (method: SessionCallName, params: { sessionId: string }, change: Partial<SessionStatus>) => {
    const failure = record(method, params);
    if (failure !== null) return err('unavailable', failure);
    const seriesId = findSession(params.sessionId);
    if (seriesId === undefined) return err('not-found', `No session ${params.sessionId}.`);
    return ok(service.update(seriesId, change));
  };
  const job = (method: SessionCallName, jobId: string, change: Partial<JobRecord>) => {
    const failure = record(method, { jobId });
    if (failure !== null) return err('unavailable', failure);
    const found = service.jobs.get(jobId);
    if (found === undefined) return err('not-found', `No job ${jobId}.`);
    const next = { ...found, ...change, updatedAt: new Date(Date.parse(found.updatedAt) + 1000).toISOString() };
    service.publishJob(next);
    return ok(next);
  };

  return {
    service,
    calls: {
      'session.defaults': () => ok({ backend: 'cpu', settings: tinySettings, cpu: tinySettings, gpu: { ...tinySettings, size: 256, width: 32 } }),
      'session.start': (params) => {
        const failure = record('session.start', params);
        if (failure !== null) return err('unavailable', failure);
        const sessionId = `session-${++sessions}`;
        const before = statuses.get(params.seriesId);
        const from = params.init ?? 'default';
        const init = { kind: from === 'none' ? 'none' as const : 'pretrained' as const, modelId: null, name: from, message: `Starting from ${from}.` };
        const settings = { ...tinySettings, ...params.settings };
        service.update(params.seriesId, { sessionId, phase: 'idle', init, settings, backend: 'cpu', device: 'CPU (JavaScript)' });
        return ok({ sessionId, modelVersion: before?.modelVersion ?? 0, init, settings });
      },
      'session.status': ({ seriesId }) => ok(statuses.get(seriesId) ?? makeSessionStatus(seriesId)),
      'session.focus': (params) => control('session.focus', params, {}),
      'session.pause': (params) => control('session.pause', params, { phase: 'paused' }),
      'session.resume': (params) => control('session.resume', params, { phase: 'idle' }),
      'session.cancel': (params) => control('session.cancel', params, { phase: 'idle' }),
      'session.reset': (params) => control('session.reset', params, { phase: 'training', step: 0 }),
      'session.close': (params) => control('session.close', params, { phase: 'closed', sessionId: null }),
      'models.list': () => {
        const failure = record('models.list', {});
        return failure === null ? ok(service.models) : err('unavailable', failure);
      },
      'jobs.list': () => ok([...service.jobs.values()]),
      'jobs.startPretrain': (params) => {
        const failure = record('jobs.startPretrain', params);
        if (failure !== null) return err('bad-request', failure);
        const created = makeJob({ jobId: `job-${service.jobs.size + 1}`, params, state: 'queued', phase: 'queued', step: 0, checkpoint: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
        service.publishJob(created);
        return ok(created);
      },
      'jobs.cancel': ({ jobId }) => job('jobs.cancel', jobId, { state: 'cancelled' }),
      'jobs.resume': ({ jobId }) => job('jobs.resume', jobId, { state: 'queued' }),
    },
    streams: {
      'session.events': ({ seriesId }, emit, signal) =>
        new Promise<void>((resolve) => {
          emit(statuses.get(seriesId) ?? makeSessionStatus(seriesId));
          const set = followers.get(seriesId) ?? new Set();
          set.add(emit);
          followers.set(seriesId, set);
          signal.onCancel(() => {
            set.delete(emit);
            resolve();
          });
        }),
      'jobs.updates': (_params, emit, signal) =>
        new Promise<void>((resolve) => {
          for (const existing of service.jobs.values()) emit(existing);
          jobFollowers.add(emit);
          signal.onCancel(() => {
            jobFollowers.delete(emit);
            resolve();
          });
        }),
    },
  };
}
