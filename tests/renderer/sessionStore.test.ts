import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useLabelsStore } from '../../src-renderer/stores/labels';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { useSessionStore } from '../../src-renderer/stores/session';
import { useTrainerStore } from '../../src-renderer/stores/trainer';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { axialGeometry, makeSeries, makeStatus, startFakeApp, type FakeApp } from './support/fakeApp';
import { sliceRuns } from './support/fakeSession';

const dims: [number, number, number] = [16, 12, 6];
const plane = 16 * 12;
const geometry = axialGeometry(dims);
const seriesA = 'series-a' as SeriesId;
const seriesB = 'series-b' as SeriesId;

let app: FakeApp;

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  setActivePinia(createPinia());
  app = startFakeApp();
  app.series.list = [makeSeries({ seriesId: seriesA, geometry, sliceCount: 6 }), makeSeries({ seriesId: seriesB, geometry, sliceCount: 6 })];
  useConnectionStore().attach(app.connection);
  useSeriesStore().replaceAll(app.series.list);
});

afterEach(() => {
  useSessionStore().stop();
  vi.useRealTimers();
});

async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await vi.advanceTimersByTimeAsync(0);
}

/** Opens series `id` with the session store started; returns the store once the session answered. */
async function openWithSession(id: SeriesId): Promise<ReturnType<typeof useSessionStore>> {
  const session = useSessionStore();
  session.start();
  useSeriesStore().selectedId = id;
  await settle(10);
  return session;
}

function slice(label: number, count: number): Uint8Array {
  return new Uint8Array(plane).fill(label, 0, count);
}

describe('session store', () => {
  it('starts a session with the chosen settings when a series without one opens, resuming the series\' saved session if it has one', async () => {
    const session = useSessionStore();
    session.setSettings({ size: 32, burstSteps: 3 });
    await openWithSession(seriesA);
    const starts = app.session.calls.filter((call) => call.method === 'session.start');
    expect(starts).toEqual([{ method: 'session.start', params: { seriesId: seriesA, init: 'default', settings: { size: 32, burstSteps: 3 }, resume: true } }]);
    expect(session.sessionId).toBe('session-1');
    expect(session.phase).toBe('idle');
    expect(session.initMessage).toBe('Starting from default.');
    expect(JSON.parse(localStorage.getItem('macl.session.settings') ?? '{}')).toEqual({ size: 32, burstSteps: 3 });
  });

  it('tries the automatic start again once the trainer is ready, after a refusal', async () => {
    app.session.failNext('The trainer is not ready yet.');
    const session = await openWithSession(seriesA);
    expect(session.actionError).toBe('The training session could not start: The trainer is not ready yet.');
    expect(session.sessionId).toBeNull();
    useTrainerStore().start();
    app.publish(makeStatus({ state: 'ready', since: 5_000 }));
    await settle(10);
    expect(app.session.calls.filter((call) => call.method === 'session.start')).toHaveLength(2);
    expect(session.sessionId).toBe('session-1');
  });

  it('adopts a running session instead of starting another', async () => {
    app.session.update(seriesA, { sessionId: 'running-1', phase: 'training', step: 40, modelVersion: 3 });
    const session = await openWithSession(seriesA);
    expect(app.session.calls.some((call) => call.method === 'session.start')).toBe(false);
    expect(session.status?.step).toBe(40);
    expect(session.slices?.newest).toBe(3);
    expect(session.slices?.counts.pending).toBe(6);
  });

  it('writes streamed slices into the prediction layer and says when versions are mixed', async () => {
    const session = await openWithSession(seriesA);
    const doc = useLabelsStore().document;
    expect(doc).not.toBeNull();
    app.session.update(seriesA, { phase: 'inferring', modelVersion: 1 });
    await settle();
    for (const k of [0, 1, 2]) app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 1, k, runs: sliceRuns(slice(1, 20)), labels: [1] });
    await settle(100);
    expect(doc?.prediction[plane]).toBe(1);
    expect(useLabelsStore().hasPrediction).toBe(true);
    expect(session.slices?.counts).toEqual({ fresh: 3, stale: 0, pending: 3, none: 0 });
    expect(session.mixedVersions).toBeNull();

    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 2, k: 1, runs: sliceRuns(slice(2, 5)), labels: [2] });
    await settle(100);
    expect(session.slices?.statuses.slice(0, 3)).toEqual(['stale', 'fresh', 'stale']);
    expect(session.mixedVersions).toBe('Mixed model versions on screen: 1 slices from version 2, 2 still from version 1 (being refined).');

    expect(doc?.prediction[plane]).toBe(2);
    expect(doc?.prediction[plane + 10]).toBe(0);

    app.session.publish(seriesA, { kind: 'volumeDone', sessionId: 'session-1', modelVersion: 2, slices: 6, seconds: 1.5 });
    await settle();
    expect(session.lastVolume).toEqual({ modelVersion: 2, slices: 6, seconds: 1.5 });
  });

  it('reports a malformed slice instead of writing part of it', async () => {
    const session = await openWithSession(seriesA);
    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 1, k: 2, runs: sliceRuns(new Uint8Array(plane * 2).fill(1)), labels: [1] });
    await settle(100);
    expect(session.streamError).toMatch(/Slice 2 of model version 1 could not be read/);
    expect(useLabelsStore().hasPrediction).toBe(false);
  });

  it('collects the losses of the session and starts a new curve for a new session', async () => {
    const session = await openWithSession(seriesA);
    app.session.publish(seriesA, { kind: 'losses', sessionId: 'session-1', points: [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.7 }] });
    app.session.publish(seriesA, { kind: 'losses', sessionId: 'session-1', points: [{ step: 3, loss: 0.5 }] });
    await settle();
    expect(session.losses.map((point) => point.step)).toEqual([1, 2, 3]);
    app.session.publish(seriesA, { kind: 'losses', sessionId: 'session-2', points: [{ step: 1, loss: 0.8 }] });
    await settle();
    expect(session.losses).toEqual([{ step: 1, loss: 0.8 }]);
  });

  it('tells the app which slice is on screen, debounced', async () => {
    await openWithSession(seriesA);
    const viewer = useViewerStore();
    const readout = (z: number) => ({ sliceIndex: 0, sliceCount: 6, positionMm: z, labels: { top: 'A', bottom: 'P', left: 'R', right: 'L' }, focalPointMm: [8, 6, z] as [number, number, number], normal: [0, 0, 1] as [number, number, number] });
    viewer.readouts = { axial: readout(2), sagittal: null, coronal: null };
    await settle(20);
    viewer.readouts = { axial: readout(8), sagittal: null, coronal: null };
    await settle(300);
    const focus = app.session.calls.filter((call) => call.method === 'session.focus');
    expect(focus).toEqual([{ method: 'session.focus', params: { sessionId: 'session-1', k: 4 } }]);
    expect(useSessionStore().focusK).toBe(4);
  });

  it('pauses, resumes, cancels, and resets (clearing the old prediction)', async () => {
    const session = await openWithSession(seriesA);
    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 1, k: 0, runs: sliceRuns(slice(1, 5)), labels: [1] });
    await settle(100);
    expect(await session.pause()).toBe(true);
    expect(session.phase).toBe('paused');
    expect(await session.resume()).toBe(true);
    expect(await session.cancel()).toBe(true);
    expect(await session.reset()).toBe(true);
    expect(useLabelsStore().hasPrediction).toBe(false);
    expect(session.slices?.counts.fresh).toBe(0);
    expect(app.session.calls.map((call) => call.method).filter((method) => method !== 'session.focus')).toEqual(['session.start', 'session.pause', 'session.resume', 'session.cancel', 'session.reset']);

    app.session.failNext('The trainer is restarting.');
    expect(await session.pause()).toBe(false);
    expect(session.actionError).toBe('The trainer is restarting.');
  });

  it('switches the model by starting a new session from it (not resuming the series\' saved one)', async () => {
    const session = await openWithSession(seriesA);
    expect(await session.switchModel('none')).toBe(true);
    expect(app.session.calls.filter((call) => call.method === 'session.start').map((call) => [call.params.init, call.params.resume])).toEqual([['default', true], ['none', false]]);
    await settle();
    expect(session.sessionId).toBe('session-2');
    expect(session.init).toBe('none');
  });

  it('says the trainer stopped and was restarted, strokes safe', async () => {
    const session = await openWithSession(seriesA);
    app.session.update(seriesA, { phase: 'restarting', message: 'exit code 137' });
    await settle();
    expect(session.notice?.alarming).toBe(true);
    app.session.update(seriesA, { phase: 'idle', message: null });
    await settle();
    expect(session.notice).toEqual({ text: 'The trainer stopped (exit code 137); it was restarted from the last checkpoint; your strokes are safe.', alarming: false });

    session.dismissNotice();
    useTrainerStore().start();
    await settle();
    app.publish(makeStatus({ restarts: 1, message: 'Trainer killed by SIGKILL.', since: 2_000 }));
    await settle();
    expect(session.notice?.text).toContain('(Trainer killed by SIGKILL.); it was restarted');
  });

  it('closes the session of a series left and starts one on the next', async () => {
    await openWithSession(seriesA);
    useSeriesStore().selectedId = seriesB;
    await settle(10);
    expect(app.session.calls.filter((call) => call.method === 'session.close')).toEqual([{ method: 'session.close', params: { sessionId: 'session-1' } }]);
    expect(app.session.calls.filter((call) => call.method === 'session.start').map((call) => call.params.seriesId)).toEqual([seriesA, seriesB]);
    expect(app.session.followers(seriesA)).toBe(0);
  });
});
