/**
 * The interactive loop with a REAL trainer process (bundled like
 * scripts/build.mjs does, forked, probed on the cpu backend) behind the real
 * supervisor, label store and session service, on a 32x32x10 phantom with
 * CPU-friendly test settings: strokes on 3 slices, then 2 more, applied
 * through the label store; the slices streamed back make a mask whose Dice
 * against the phantom's truth reaches a modest bar. Then the trainer process
 * is killed mid-burst: the session says so, resumes from its checkpoint with
 * the labels sent again, and streams a newer version. No wall-clock asserts.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import { createSessionService, type SessionService } from '../../../src-main/session/sessionService';
import { createForkSpawner } from '../../../src-main/services/forkTrainer';
import { createTrainerSupervisor, type TrainerSupervisor } from '../../../src-main/services/trainerSupervisor';
import type { SessionEvent } from '../../../src-main/shared/contract/sessionApi';
import { applyRuns, decodeRuns } from '../../../src-main/shared/labels/labelRuns';
import { dice } from '../ml/phantom';
import { phantomWorkspace, strokesLayer, type PhantomWorkspace } from '../trainer/jobs/interactiveFixtures';
import { tempFolder } from '../trainer/jobs/jobFixtures';
import { layerDiff, phantomSegments } from './sessionFixtures';
import { bundleTrainer } from '../../support/bundleTrainer';
import { killChild } from '../../support/killProcess';

const temp = tempFolder('session-loop');
const size = 32;
const depth = 10;
// One model version per burst (versionEverySteps = burstSteps): the Dice bars below judge a burst's
// result, not the early versions a processor session shows every 5 steps by default.
// The network's loop alone (the pixel classifier's quick answer, on by default on a processor, has its own tests).
const settings = { burstSteps: 30, versionEverySteps: 30, size, batch: 4, width: 4, lr: 2e-2, inferBatch: 5, quickForest: false };
const trainerLog: string[] = [];
let outDir = '';
let ws: PhantomWorkspace;
let labels: LabelService;
let supervisor: TrainerSupervisor;
let sessions: SessionService;
let strokes: Uint8Array = new Uint8Array(0);
const events: SessionEvent[] = [];
let waiters: Array<{ test: (e: SessionEvent) => boolean; resolve: () => void }> = [];
/** The newest version's mask, assembled from its slices. */
const mask = new Uint8Array(size * size * depth);

beforeAll(async () => {
  ws = await phantomWorkspace(temp.dir, size, depth, 7);
  strokes = new Uint8Array(size * size * depth);
  const bundled = await bundleTrainer('test-session-loop');
  outDir = bundled.dir;
  const trainerPath = bundled.trainerPath;
  supervisor = createTrainerSupervisor({
    spawn: createForkSpawner(trainerPath, { output: (line) => trainerLog.push(line) }),
    preference: 'cpu',
    restartPolicy: { delaysMs: [10], maxRestarts: 3, windowMs: 60_000 },
  });
  const status = await supervisor.start();
  expect(status.state, trainerLog.join('\n')).toBe('ready');
  labels = createLabelService({ workspaceDir: ws.workspaceDir, series: ws.series });
  sessions = createSessionService({ trainer: supervisor, labels, workspaceDir: ws.workspaceDir, throttleMs: 50, saveEverySeconds: 0.001 });
  sessions.subscribe(ws.seriesId, (event) => {
    events.push(event);
    if (event.kind === 'slice') {
      const slice = new Uint8Array(size * size);
      applyRuns(slice, decodeRuns(event.runs, size * size));
      mask.set(slice, event.k * size * size);
    }
    const ready = waiters.filter((waiter) => waiter.test(event));
    waiters = waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  });
}, 120_000);

afterAll(async () => {
  await sessions?.shutdown();
  await supervisor?.dispose();
  await labels?.close();
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  temp.cleanup();
});

const until = (test: (e: SessionEvent) => boolean): Promise<void> => new Promise((resolve) => waiters.push({ test, resolve }));
const doneAfter = (version: number) => (e: SessionEvent) => e.kind === 'volumeDone' && e.modelVersion > version;
const newestVersion = (): number => Math.max(0, ...events.map((e) => (e.kind === 'volumeDone' ? e.modelVersion : 0)));

async function paint(slices: readonly number[]): Promise<void> {
  const next = strokesLayer(ws.phantom, slices);
  for (let i = 0; i < next.length; i++) if (strokes[i] !== 0) next[i] = strokes[i] as number;
  const base = (await labels.status(ws.seriesId)).revision;
  await labels.apply(ws.seriesId, { baseRevision: base, changes: [{ layer: 'strokes', runs: layerDiff(strokes, next) }], segments: phantomSegments(2) });
  strokes = next;
}

const allSlices = Array.from({ length: depth }, (_, k) => k);
const diceOf = (): [number, number] => [dice(mask, ws.phantom.truth, 1, size * size, allSlices), dice(mask, ws.phantom.truth, 2, size * size, allSlices)];

describe('interactive loop with a real trainer process', () => {
  it('learns from strokes on 3 slices, then 2 more: the streamed mask reaches a modest Dice', async () => {
    const started = await sessions.start({ seriesId: ws.seriesId, init: 'none', settings });
    sessions.focus(started.sessionId, 4);
    await paint([1, 5, 8]);
    await until(doneAfter(0));
    const first = diceOf();
    await paint([3, 6]);
    await until(doneAfter(newestVersion()));
    const second = diceOf();
    console.log(`interactive loop (32x32x10 phantom, width 4, burst 30): Dice disc/square after 3 slices ${first.map((d) => d.toFixed(2)).join('/')}, after 5 slices ${second.map((d) => d.toFixed(2)).join('/')}`);
    expect(second[0]).toBeGreaterThan(0.55);
    expect(second[1]).toBeGreaterThan(0.3);
    const firstSlice = events.find((e) => e.kind === 'slice');
    expect(firstSlice?.kind === 'slice' && firstSlice.k).toBe(4);
  }, 300_000);

  it('survives the trainer process being killed mid-burst: resumes from its checkpoint, labels intact, a newer version follows', async () => {
    const before = newestVersion();
    const saved = sessions.status(ws.seriesId).savedModelId;
    expect(saved).not.toBeNull();
    const training = until((e) => e.kind === 'status' && e.phase === 'training');
    await paint([2]);
    await training;
    const pid = supervisor.status().pid;
    expect(pid).not.toBeNull();
    killChild(pid as number);
    await until((e) => e.kind === 'status' && e.phase === 'restarting');
    await until((e) => e.kind === 'status' && /was restarted/.test(e.message ?? ''));
    expect(sessions.status(ws.seriesId).message).toMatch(/continued from its checkpoint/);
    await until(doneAfter(before));
    expect(newestVersion()).toBeGreaterThan(before);
    expect(supervisor.status().restarts).toBe(1);
    const [disc] = diceOf();
    expect(disc).toBeGreaterThan(0.55);
  }, 300_000);
});
