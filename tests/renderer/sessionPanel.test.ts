import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesId } from '../../src-main/shared/contract/series';
import type { ModelSummary } from '../../src-main/shared/contract/modelSummary';
import ArchivePanel from '../../src-renderer/components/ArchivePanel.vue';
import TrainingPanel from '../../src-renderer/components/TrainingPanel.vue';
import ViewportPane from '../../src-renderer/components/ViewportPane.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useJobsStore } from '../../src-renderer/stores/jobs';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { useSessionStore } from '../../src-renderer/stores/session';
import { useTrainerStore } from '../../src-renderer/stores/trainer';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { axialGeometry, makeSeries, startFakeApp, type FakeApp } from './support/fakeApp';
import { makeJob, sliceRuns } from './support/fakeSession';
import { makeReadout } from './support/fakeViewer';

const dims: [number, number, number] = [16, 12, 6];
const geometry = axialGeometry(dims);
const seriesA = 'series-a' as SeriesId;

function model(overrides: Partial<ModelSummary>): ModelSummary {
  return {
    id: 'm1', name: 'archive-pretrain', version: 1, kind: 'pretrained', created: '2024-05-01T10:00:00.000Z', steps: 1000, totalSteps: 1000,
    intermediate: false, width: 16, classes: null, size: 128, backend: 'cpu', device: 'CPU', parentId: null, losses: {}, seriesIds: [], ...overrides,
  };
}

let app: FakeApp;
let pinia: Pinia;
let wrapper: VueWrapper;

beforeEach(async () => {
  localStorage.clear();
  pinia = createPinia();
  setActivePinia(pinia);
  app = startFakeApp();
  app.series.list = [makeSeries({ seriesId: seriesA, geometry, sliceCount: 6 })];
  app.session.models = {
    models: [
      model({ id: 'ft-3', name: `session ${seriesA}`, version: 1, kind: 'finetuned', classes: 2, steps: 120, created: '2026-12-06T22:50:13.000Z', seriesIds: [seriesA] }),
      model({ id: 'ft-2', name: 'liver-ft', version: 2, kind: 'finetuned', classes: 2 }),
      model({}),
    ],
    defaultInit: { id: 'm1', name: 'archive-pretrain' },
    problems: [],
  };
  app.session.jobs.set('job-1', makeJob());
  useConnectionStore().attach(app.connection);
  useTrainerStore().start();
  useJobsStore().start();
  useSessionStore().start();
  useSeriesStore().replaceAll(app.series.list);
  useSeriesStore().selectedId = seriesA;
  wrapper = mount(TrainingPanel, { global: { plugins: [pinia] } });
  await vi.waitFor(() => expect(useSessionStore().sessionId).toBe('session-1'));
});

afterEach(() => {
  wrapper.unmount();
  useSessionStore().stop();
});

const loop = (): ReturnType<VueWrapper['get']> => wrapper.get('[data-testid="loop-status"]');

/** Clicks a button once it exists and is enabled (a stream event can show it before the call that caused it has answered). */
async function clickWhenEnabled(selector: string): Promise<void> {
  await vi.waitFor(() => expect(wrapper.find(selector).attributes('disabled')).toBeUndefined());
  await wrapper.get(selector).trigger('click');
}

describe('training panel: the interactive loop', () => {
  it('shows phase, step, loss, speed, backend, device and model version as the session streams them', async () => {
    const updatedAt = Date.now() - 4000;
    app.session.update(seriesA, { phase: 'training', step: 12, burstStep: 3, burstSteps: 12, loss: 0.4123, stepsPerSecond: 2.5, modelVersion: 2, lastUpdateAt: updatedAt });
    await vi.waitFor(() => expect(loop().attributes('data-phase')).toBe('training'));
    const text = loop().text();
    expect(text).toContain('Training, step 3 of 12 in this burst');
    expect(text).toContain('12, loss 0.412, 2.50 steps/s');
    expect(text).toContain('cpu · CPU (JavaScript)');
    expect(text).toContain('version 2');
    // The panel's clock ticks every second: the age shown is the update's age when it last ticked.
    await vi.waitFor(() => expect(Number(/(\d+) s ago/.exec(loop().text())?.[1])).toBeGreaterThanOrEqual(4));
    expect(Number(/(\d+) s ago/.exec(loop().text())?.[1])).toBeLessThanOrEqual(Math.ceil((Date.now() - updatedAt) / 1000));
  });

  it('plots the losses and colours each slice by the version it shows', async () => {
    app.session.publish(seriesA, { kind: 'losses', sessionId: 'session-1', points: [{ step: 1, loss: 1 }, { step: 2, loss: 0.5 }, { step: 3, loss: 0.3 }] });
    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 1, k: 0, runs: sliceRuns(new Uint8Array(16 * 12).fill(1, 0, 9)), labels: [1] });
    app.session.update(seriesA, { phase: 'inferring', modelVersion: 1, slicesDone: 1, slicesTotal: 6 });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="loss-plot"]').attributes('data-points')).toBe('3'));
    expect(wrapper.get('polyline').attributes('points')?.split(' ')).toHaveLength(3);
    const strip = wrapper.get('[data-testid="slice-status"]');
    await vi.waitFor(() => expect(strip.attributes('data-fresh')).toBe('1'));
    expect(strip.attributes('data-pending')).toBe('5');
    expect(strip.findAll('rect.fresh')).toHaveLength(1);
    // Grid slice k = 0 is the lowest; the viewer (and so the strip) numbers from the top: slice 6 of 6, drawn last.
    expect(strip.find('rect.fresh title').text()).toBe('Slice 6: model version 1, fresh');
    expect(strip.find('rect.fresh').attributes('x')).toBe('5');
    expect(loop().text()).toContain('Refining slices, 1 of 6 slices');
  });

  it('names the slice on screen with the number the viewport overlay shows', async () => {
    const viewer = useViewerStore();
    viewer.target = { seriesId: seriesA, modality: 'MR', label: '', geometry };
    // The axial viewport (cornerstone looks along -z) on grid slice k = 2, z = 4 mm.
    viewer.readouts = { axial: makeReadout({ sliceIndex: 3, sliceCount: 6, positionMm: 4, focalPointMm: [8, 6, 4], normal: [0, 0, -1] }), sagittal: null, coronal: null };
    app.session.update(seriesA, { phase: 'idle', modelVersion: 1, lastUpdateAt: Date.now() });
    const pane = mount(ViewportPane, { props: { plane: 'axial', active: true }, global: { plugins: [pinia] } });
    await vi.waitFor(() => expect(wrapper.find('[data-testid="loop-focus"]').exists()).toBe(true));
    expect(pane.get('[data-testid="slice-axial"]').text()).toMatch(/^4 \/ 6/);
    expect(wrapper.get('[data-testid="loop-focus"]').text()).toMatch(/^slice 4 of 6:/);
    pane.unmount();
  });

  it('says so when the screen mixes model versions', async () => {
    const plane = new Uint8Array(16 * 12).fill(1, 0, 5);
    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 1, k: 0, runs: sliceRuns(plane), labels: [1] });
    app.session.publish(seriesA, { kind: 'slice', sessionId: 'session-1', modelVersion: 2, k: 1, runs: sliceRuns(plane), labels: [1] });
    await vi.waitFor(() => expect(wrapper.find('[data-testid="loop-mixed"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="loop-mixed"]').text()).toContain('1 slices from version 2, 1 still from version 1');
  });

  it('pauses, resumes, cancels and resets through its buttons', async () => {
    app.session.update(seriesA, { phase: 'training' });
    await vi.waitFor(() => expect(loop().attributes('data-phase')).toBe('training'));
    await clickWhenEnabled('[data-testid="loop-cancel"]');
    await vi.waitFor(() => expect(app.session.calls.some((call) => call.method === 'session.cancel')).toBe(true));
    await vi.waitFor(() => expect(loop().attributes('data-phase')).toBe('idle'));
    await clickWhenEnabled('[data-testid="loop-pause"]');
    await clickWhenEnabled('[data-testid="loop-resume"]');
    await vi.waitFor(() => expect(loop().attributes('data-phase')).toBe('idle'));
    await clickWhenEnabled('[data-testid="loop-reset"]');
    await vi.waitFor(() => expect(app.session.calls.some((call) => call.method === 'session.reset')).toBe(true));
    expect(app.session.calls.map((call) => call.method).filter((method) => method.startsWith('session.') && method !== 'session.focus'))
      .toEqual(['session.start', 'session.cancel', 'session.pause', 'session.resume', 'session.reset']);
  });

  it('shows the crash and restart message, then lets it be dismissed', async () => {
    app.session.update(seriesA, { phase: 'restarting', message: 'exit code 137' });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="loop-notice"]').attributes('role')).toBe('alert'));
    app.session.update(seriesA, { phase: 'idle', message: 'The trainer was restarted from the checkpoint of version 3.' });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="loop-notice"]').attributes('role')).toBe('status'));
    expect(wrapper.get('[data-testid="loop-notice"]').text()).toContain('The trainer stopped (exit code 137); it was restarted from the last checkpoint; your strokes are safe.');
    expect(wrapper.get('[data-testid="loop-message"]').text()).toBe('The trainer was restarted from the checkpoint of version 3.');
    await wrapper.get('[data-testid="loop-notice"] button').trigger('click');
    expect(wrapper.find('[data-testid="loop-notice"]').exists()).toBe(false);
  });

  it('lists the registry in the model picker and starts a session from the chosen model', async () => {
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="model-choice"] option')).toHaveLength(5));
    const options = wrapper.findAll('[data-testid="model-choice"] option').map((option) => option.text());
    expect(options[0]).toBe('Default: newest pre-trained (archive-pretrain)');
    expect(options[1]).toBe('From scratch (no pre-training)');
    expect(wrapper.find('optgroup[label="Continue a fine-tune"]').text()).toContain('liver-ft v2');
    // An earlier session of a series is named by that series and the time it was saved.
    expect(wrapper.find('optgroup[label="Continue a fine-tune"] option').text()).toBe('Session on FLAIR axial (series 3) · 120 steps · saved 2026-12-06 22:50 UTC');
    await wrapper.get('[data-testid="model-choice"]').setValue('ft-2');
    await wrapper.get('[data-testid="model-use"]').trigger('click');
    await vi.waitFor(() => expect(useSessionStore().sessionId).toBe('session-2'));
    expect(app.session.calls.filter((call) => call.method === 'session.start').map((call) => call.params.init)).toEqual(['default', 'ft-2']);
  });

  it('checks and keeps training settings, and restarts the session with them', async () => {
    await wrapper.get('[data-testid="setting-size"]').setValue('40');
    await wrapper.get('[data-testid="settings-save"]').trigger('click');
    expect(wrapper.get('[data-testid="loop-settings"] [role="alert"]').text()).toBe('size: size must be a multiple of 16');
    await wrapper.get('[data-testid="setting-size"]').setValue('32');
    await wrapper.get('[data-testid="setting-burstSteps"]').setValue('3');
    await wrapper.get('[data-testid="setting-quickAnswerMs"]').setValue('500');
    await wrapper.get('[data-testid="setting-method"]').setValue('simcvd');
    await wrapper.get('[data-testid="setting-keepConnected"]').setValue('false');
    await wrapper.get('[data-testid="setting-roi"]').setValue('false');
    await wrapper.get('[data-testid="setting-undoStrokePrior"]').setValue('true');
    await wrapper.get('[data-testid="settings-restart"]').trigger('click');
    await vi.waitFor(() => expect(useSessionStore().sessionId).toBe('session-2'));
    expect(app.session.calls.filter((call) => call.method === 'session.start').at(-1)?.params.settings).toEqual({ size: 32, burstSteps: 3, quickAnswerMs: 500, method: 'simcvd', keepConnected: false, roi: false, undoStrokePrior: true });
  });

  it('lists background jobs with progress and time left, and cancels and resumes them', async () => {
    await vi.waitFor(() => expect(wrapper.find('[data-job="job-1"]').exists()).toBe(true));
    const job = (): ReturnType<VueWrapper['get']> => wrapper.get('[data-job="job-1"]');
    expect(job().text()).toContain('step 120 of 1000');
    expect(job().text()).toContain('14 slices/s');
    expect(job().text()).toContain('about 10 min 20 s left');
    expect(job().text()).toContain('Checkpoint at step 100');
    await clickWhenEnabled('[data-job="job-1"] button');
    await vi.waitFor(() => expect(job().attributes('data-state')).toBe('cancelled'));
    expect(job().get('button').text()).toBe('Resume');
    await clickWhenEnabled('[data-job="job-1"] button');
    await vi.waitFor(() => expect(job().attributes('data-state')).toBe('queued'));
    expect(app.session.calls.filter((call) => call.method.startsWith('jobs.')).map((call) => call.method)).toEqual(['jobs.cancel', 'jobs.resume']);
  });
});

describe('archive panel: pre-training', () => {
  it('queues a pre-training of the typed archive under a proposed name, listed as a job', async () => {
    const archive = mount(ArchivePanel, { global: { plugins: [pinia] } });
    await archive.get('[data-testid="archive-root"]').setValue('/data/ct archive/');
    expect((archive.get('[data-testid="pretrain-name"]').element as HTMLInputElement).value).toBe('pretrain-ct archive');
    await archive.get('[data-testid="pretrain-start"]').trigger('click');
    await vi.waitFor(() => expect(archive.find('[data-testid="pretrain-action"] [role="status"]').exists()).toBe(true));
    expect(app.session.calls.find((call) => call.method === 'jobs.startPretrain')?.params).toEqual({ archive: '/data/ct archive/', out: 'pretrain-ct archive' });
    await vi.waitFor(() => expect(useJobsStore().jobs.map((job) => job.params.out)).toContain('pretrain-ct archive'));

    app.session.failNext('The archive /nowhere does not exist.');
    await archive.get('[data-testid="pretrain-start"]').trigger('click');
    await vi.waitFor(() => expect(archive.get('[data-testid="pretrain-action"] [role="alert"]').text()).toBe('The archive /nowhere does not exist.'));
    archive.unmount();
  });

  it('queues a pre-training on a PACS query with its cache size, shown as a job naming the server and the query', async () => {
    app.pacs.connections.push({ id: 'ward', name: 'Ward PACS', baseUrl: 'https://pacs.example/dicom-web', authKind: 'none', username: '', hasSecret: false, certificatePem: null });
    const archive = mount(ArchivePanel, { global: { plugins: [pinia] } });
    await vi.waitFor(() => expect(archive.find('[data-testid="pacs-pretrain-connection"]').exists()).toBe(true));
    expect(archive.get('[data-testid="pacs-pretrain"]').text()).toContain('into pacs-archive-cache in the workspace (not the import store)');
    await archive.get('[data-testid="pacs-pretrain-modality"]').setValue('ct');
    await archive.get('[data-testid="pacs-pretrain-from"]').setValue('2001-01-01');
    await archive.get('[data-testid="pacs-pretrain-description"]').setValue('*AX*');
    await archive.get('[data-testid="pacs-pretrain-cache"]').setValue('0.5');
    await archive.get('[data-testid="pacs-pretrain-name"]').setValue('pre-ct');
    await archive.get('[data-testid="pacs-pretrain-preview"]').trigger('click');
    await vi.waitFor(() => expect(archive.find('[data-testid="pacs-pretrain-list"]').exists()).toBe(true));
    const list = archive.get('[data-testid="pacs-pretrain-list"]').text();
    expect(list).toContain('1 series to use, 1 left out (ward, series with modality CT)');
    expect(list).toContain('CT AX T1: 120 slices');
    expect(list).toContain('1.2.3.5: 3 slices (fewer than 8)');
    await archive.get('[data-testid="pacs-pretrain"]').trigger('submit');
    await vi.waitFor(() => expect(app.session.calls.some((call) => call.method === 'jobs.startPretrain')).toBe(true));
    expect(app.session.calls.find((call) => call.method === 'jobs.startPretrain')?.params).toEqual({
      pacs: { connectionId: 'ward', query: { modality: 'CT', studyDateFrom: '2001-01-01', description: '*AX*' }, cacheBytes: 2 ** 29 },
      out: 'pre-ct',
    });
    archive.unmount();
    const training = mount(TrainingPanel, { global: { plugins: [pinia] } });
    await vi.waitFor(() => expect(training.text()).toContain('PACS Ward PACS: CT, 2001-01-01 to …, "*AX*"'));
    training.unmount();
  });
});
