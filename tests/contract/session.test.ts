/**
 * The session section of the app contract, served in memory over the real
 * label store, session service and trainer supervisor; the trainer is
 * in-process (the real interactive session code on tfjs's cpu backend,
 * tiny settings) behind the fake spawner, so it can crash and come back.
 *
 * New labels join the running work: the newer version's slices follow the
 * current one's and no slice of an older version comes after a newer one;
 * model versions never go backwards for a subscriber; after session.cancel answers
 * no slice of the stopped work arrives; after a stream's cancellation is
 * acknowledged no event arrives. A crashed trainer is restarted and the
 * session continues with a message saying so. A closed session (a series
 * switch, an app close) is resumed by session.start with `resume`: its step
 * count, optimiser state and model versions go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabelService, type LabelService } from '../../src-main/labels/labelService';
import { createLabelHandlers } from '../../src-main/labels/labelHandlers';
import { createJobService, type JobService } from '../../src-main/session/jobService';
import { createJobStore } from '../../src-main/session/jobStore';
import { createSessionHandlers } from '../../src-main/session/sessionHandlers';
import { createSessionService, type SessionService } from '../../src-main/session/sessionService';
import { createTrainerSupervisor, type TrainerSupervisor } from '../../src-main/services/trainerSupervisor';
import { labelsCalls, labelsStreams } from '../../src-main/shared/contract/labelsApi';
import type { SessionEvent, SessionStatus } from '../../src-main/shared/contract/sessionApi';
import { sessionCalls, sessionStreams } from '../../src-main/shared/contract/sessionApi';
import { createRpcClient, type RpcClient } from '../../src-main/shared/rpc/client';
import { defineContract } from '../../src-main/shared/rpc/contractDef';
import { createMemoryTransportPair } from '../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../src-main/shared/rpc/server';
import { createFakeSpawner, type FakeTrainer } from '../unit/services/fakeTrainer';
import { inProcessInteractive, layerDiff, phantomSegments } from '../unit/session/sessionFixtures';
import { phantomWorkspace, strokesLayer, type PhantomWorkspace } from '../unit/trainer/jobs/interactiveFixtures';
import { tempFolder } from '../unit/trainer/jobs/jobFixtures';

const contract = defineContract({ calls: { ...labelsCalls, ...sessionCalls }, streams: { ...labelsStreams, ...sessionStreams } });
const temp = tempFolder('session-contract');
// The network's versions alone (the pixel classifier's quick answer has its own tests in interactiveSchedule/interactiveJob).
// The stroke-connected filter is off: these tests follow the streaming order (the trainer's own tests cover the filter).
const settings = { burstSteps: 3, size: 32, batch: 2, width: 4, lr: 2e-3, inferBatch: 1, versionEverySteps: 3, quickForest: false, keepConnected: false };
let ws: PhantomWorkspace;
let labels: LabelService;
let supervisor: TrainerSupervisor;
let trainers: FakeTrainer[];
let sessions: SessionService;
let jobs: JobService;
let client: RpcClient<typeof contract>;
let revision = 0;
let strokes: Uint8Array = new Uint8Array(0);

beforeAll(async () => {
  ws = await phantomWorkspace(temp.dir, 32, 10);
  strokes = new Uint8Array(32 * 32 * 10);
  labels = createLabelService({ workspaceDir: ws.workspaceDir, series: ws.series });
  const fake = createFakeSpawner({ interactive: inProcessInteractive() });
  trainers = fake.trainers;
  supervisor = createTrainerSupervisor({ spawn: fake.spawn, preference: 'cpu', restartPolicy: { delaysMs: [5], maxRestarts: 5, windowMs: 60_000 } });
  await supervisor.start();
  sessions = createSessionService({ trainer: supervisor, labels, workspaceDir: ws.workspaceDir, throttleMs: 10, saveEverySeconds: 0.001 });
  jobs = await createJobService({ trainer: supervisor, store: createJobStore(ws.workspaceDir), workspaceDir: ws.workspaceDir });
  const label = createLabelHandlers(labels);
  const session = createSessionHandlers(sessions, jobs);
  const [serverSide, clientSide] = createMemoryTransportPair();
  serveContract(contract, { calls: { ...label.calls, ...session.calls }, streams: { ...label.streams, ...session.streams } }, serverSide);
  client = createRpcClient(contract, clientSide);
});

afterAll(async () => {
  await sessions.shutdown();
  jobs.dispose();
  await supervisor.dispose();
  await labels.close();
  temp.cleanup();
});

/** Paints the phantom's strokes on `slices` (on top of what is painted) through labels.apply. */
async function paint(slices: readonly number[]): Promise<void> {
  const next = strokesLayer(ws.phantom, slices);
  for (let i = 0; i < next.length; i++) if (strokes[i] !== 0) next[i] = strokes[i] as number;
  const result = await client.call('labels.apply', { seriesId: ws.seriesId, baseRevision: revision, changes: [{ layer: 'strokes', runs: layerDiff(strokes, next) }], segments: phantomSegments(2) });
  if (!result.ok) throw new Error(result.error.message);
  revision = result.value.revision;
  strokes = next;
}

interface Watch {
  readonly events: SessionEvent[];
  until(test: (event: SessionEvent) => boolean): Promise<SessionEvent>;
  stop(): Promise<void>;
}

function watch(): Watch {
  const events: SessionEvent[] = [];
  const waiters: Array<{ test: (e: SessionEvent) => boolean; resolve: (e: SessionEvent) => void }> = [];
  const subscription = client.listen('session.events', { seriesId: ws.seriesId }, {
    onEvent(event) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.test(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
  });
  return { events, until: (test) => new Promise((resolve) => waiters.push({ test, resolve })), stop: () => subscription.cancel() };
}

const slicesOf = (events: readonly SessionEvent[]) => events.filter((e): e is Extract<SessionEvent, { kind: 'slice' }> => e.kind === 'slice');
const isDone = (version?: number) => (e: SessionEvent) => e.kind === 'volumeDone' && (version === undefined || e.modelVersion === version);

describe('session contract', () => {
  let sessionId = '';

  it('starts on the default init (scratch, said so), streams the slices of each version after an edit, versions never going back', async () => {
    const events = watch();
    const started = await client.call('session.start', { seriesId: ws.seriesId, settings });
    if (!started.ok) throw new Error(started.error.message);
    sessionId = started.value.sessionId;
    expect(started.value.init.kind).toBe('none');
    expect(started.value.init.message).toMatch(/No pre-trained model in the registry/);
    expect(started.value.settings).toEqual(settings);
    await client.call('session.focus', { sessionId, k: 4 });
    await paint([1, 4, 6]);
    await events.until(isDone(1));
    const slices = slicesOf(events.events);
    expect(slices).toHaveLength(10);
    expect(slices[0]?.k).toBe(4);
    expect(events.events.some((e) => e.kind === 'losses' && e.points.length > 0)).toBe(true);
    const status = await client.call('session.status', { seriesId: ws.seriesId });
    expect(status.ok && status.value.modelVersion).toBe(1);
    await events.stop();
  });

  it('folds a newer label batch into the running work: no slice of an older version follows a newer one', async () => {
    const events = watch();
    await paint([2]);
    const firstOfV2 = await events.until((e) => e.kind === 'slice' && e.modelVersion === 2);
    expect(firstOfV2.kind).toBe('slice');
    await paint([5]);
    await events.until(isDone(3));
    let newest = 0;
    for (const event of events.events) {
      if (event.kind !== 'slice' && event.kind !== 'volumeDone') continue;
      expect(event.modelVersion).toBeGreaterThanOrEqual(newest);
      newest = event.modelVersion;
    }
    expect(slicesOf(events.events).filter((s) => s.modelVersion === 3)).toHaveLength(10);
    await events.stop();
  });

  it('cancel answers once the work stopped: no slice of it follows; the next edit trains again', async () => {
    const events = watch();
    await paint([3]);
    await events.until((e) => e.kind === 'slice' && e.modelVersion === 4);
    const cancelled = await client.call('session.cancel', { sessionId });
    expect(cancelled.ok && cancelled.value.phase).toBe('idle');
    const answeredAt = events.events.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slicesOf(events.events.slice(answeredAt))).toEqual([]);
    await paint([7]);
    await events.until(isDone(5));
    await events.stop();
  });

  it('delivers no event after a stream cancellation was acknowledged', async () => {
    const events = watch();
    await events.until((e) => e.kind === 'status');
    await events.stop();
    const count = events.events.length;
    await paint([0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.events.length).toBe(count);
    const quiet = watch();
    await quiet.until(isDone());
    await quiet.stop();
  });

  it('survives a trainer crash: restarting, then resumed from its checkpoint with the labels sent again, versions going on', async () => {
    const events = watch();
    await paint([8]);
    await events.until((e) => e.kind === 'status' && e.phase === 'training');
    const before = (await client.call('session.status', { seriesId: ws.seriesId })) as { ok: true; value: SessionStatus };
    trainers[trainers.length - 1]?.crash();
    await events.until((e) => e.kind === 'status' && e.phase === 'restarting');
    const resumed = (await events.until((e) => e.kind === 'status' && /was restarted/.test(e.message ?? ''))) as SessionStatus;
    expect(resumed.message).toMatch(before.value.savedModelId === null ? /No checkpoint/ : /continued from its checkpoint/);
    const done = await events.until(isDone());
    expect(done.kind === 'volumeDone' && done.modelVersion).toBeGreaterThan(before.value.modelVersion);
    expect(trainers.length).toBe(2);
    await events.stop();
  });

  it('closes the session, saving its model to the registry; models.list lists it', async () => {
    const closed = await client.call('session.close', { sessionId });
    expect(closed.ok && closed.value.phase).toBe('closed');
    const saved = closed.ok ? closed.value.savedModelId : null;
    expect(saved).not.toBeNull();
    const models = await client.call('models.list', {});
    expect(models.ok && models.value.models.some((m) => m.id === saved && m.kind === 'finetuned')).toBe(true);
    expect(models.ok && models.value.defaultInit).toBeNull();
    const gone = await client.call('session.pause', { sessionId });
    expect(gone.ok ? null : gone.error.code).toBe('not-found');
  });

  it('resumes the closed session of the series where it was (steps, version), and lists its saved model with series and date', async () => {
    const before = await client.call('session.status', { seriesId: ws.seriesId });
    if (!before.ok) throw new Error(before.error.message);
    const { savedModelId, modelVersion } = before.value;
    const models = await client.call('models.list', {});
    const saved = models.ok ? models.value.models.find((m) => m.id === savedModelId) : undefined;
    expect(saved).toMatchObject({ kind: 'finetuned', seriesIds: [ws.seriesId] });
    expect(Number.isNaN(Date.parse(saved?.created ?? ''))).toBe(false);

    const events = watch();
    const started = await client.call('session.start', { seriesId: ws.seriesId, settings, resume: true });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.value.init.message).toMatch(/Continuing this series' session saved .* \(model version \d+, step \d+\)/);
    expect(started.value.modelVersion).toBeGreaterThanOrEqual(modelVersion);
    // The saved model is shown at once as the next version, before any new stroke.
    const shown = await events.until(isDone());
    expect(shown.kind === 'volumeDone' && shown.modelVersion).toBe(modelVersion + 1);
    const status = await client.call('session.status', { seriesId: ws.seriesId });
    expect(status.ok && status.value.step).toBe(saved?.steps);
    // Training goes on from the saved step, not from step 1.
    await paint([9]);
    const step = (await events.until((e) => e.kind === 'losses' && e.points.length > 0)) as Extract<SessionEvent, { kind: 'losses' }>;
    expect(step.points[0]?.step).toBe((saved?.steps ?? 0) + 1);
    await events.stop();
    const closed = await client.call('session.close', { sessionId: started.value.sessionId });
    expect(closed.ok && closed.value.savedModelId).not.toBe(savedModelId);
    // The continued session replaced its earlier save: one model per session in the list.
    const after = await client.call('models.list', {});
    expect(after.ok && after.value.models.filter((m) => m.seriesIds[0] === ws.seriesId).length).toBe(1);
  });
});
