import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { makeSeries, startFakeApp, type FakeApp } from './support/fakeApp';
import { createFakeViewer, makeReadout, type FakeViewer } from './support/fakeViewer';

let app: FakeApp;
let viewer: FakeViewer;

const mr = makeSeries();
const ct = makeSeries({ seriesId: 'ct-1' as SeriesId, modality: 'CT', description: 'Abdomen', sliceCount: 3 });

beforeEach(() => {
  setActivePinia(createPinia());
  app = startFakeApp();
  app.series.list = [mr, ct];
  useConnectionStore().attach(app.connection);
  viewer = createFakeViewer();
});

async function started(): Promise<ReturnType<typeof useViewerStore>> {
  const store = useViewerStore();
  await store.start(() => Promise.resolve(viewer));
  return store;
}

async function openedMr(): Promise<ReturnType<typeof useViewerStore>> {
  const store = await started();
  await store.open(mr);
  viewer.play({ kind: 'opened', seriesId: mr.seriesId });
  return store;
}

describe('viewer store', () => {
  it('attaches panes mounted before the viewer exists, and detaches them on unmount', async () => {
    const store = useViewerStore();
    const axial = document.createElement('div');
    const detach = store.attach('axial', axial);
    expect(viewer.attached.size).toBe(0);
    await store.start(() => Promise.resolve(viewer));
    expect(store.engineState).toBe('ready');
    expect(viewer.attached.get('axial')).toBe(axial);
    detach();
    expect(viewer.attached.has('axial')).toBe(false);
  });

  it('asks the app for the slice URLs and hands them to the viewer', async () => {
    const store = await started();
    await store.open(mr);
    expect(app.series.calls).toContainEqual({ method: 'series.images', seriesId: mr.seriesId });
    expect(viewer.opened).toHaveLength(1);
    expect(viewer.opened[0]?.imageUrls).toHaveLength(20);
    expect(viewer.opened[0]?.imageUrls[3]).toBe(`files/${mr.seriesId}/3`);
    expect(viewer.opened[0]?.modality).toBe('MR');
    expect(store.openState).toBe('loading');
    expect(store.target?.label).toBe('Brain^Test · FLAIR axial');
  });

  it('opens a series requested before the viewer started once it is ready', async () => {
    const store = useViewerStore();
    await store.open(mr);
    expect(store.openState).toBe('loading');
    await store.start(() => Promise.resolve(viewer));
    expect(viewer.opened.map((request) => request.seriesId)).toEqual([mr.seriesId]);
  });

  it('turns loading progress into a percentage: fetching is the first half, decoding the second', async () => {
    const store = await started();
    await store.open(mr);
    viewer.play({ kind: 'progress', seriesId: mr.seriesId, progress: { phase: 'fetching', done: 10, total: 20, failed: 0 } });
    expect(store.percentLoaded).toBe(25);
    viewer.play({ kind: 'progress', seriesId: mr.seriesId, progress: { phase: 'decoding', done: 15, total: 20, failed: 0 } });
    expect(store.percentLoaded).toBe(87);
    viewer.play({ kind: 'progress', seriesId: mr.seriesId, progress: { phase: 'done', done: 20, total: 20, failed: 0 } });
    expect(store.percentLoaded).toBe(100);
    // Progress of a series no longer wanted is ignored.
    viewer.play({ kind: 'progress', seriesId: ct.seriesId, progress: { phase: 'fetching', done: 1, total: 3, failed: 0 } });
    expect(store.percentLoaded).toBe(100);
  });

  it('opens an MR in the histogram window once every slice is in', async () => {
    const store = await openedMr();
    expect(store.presets.map((preset) => preset.id)).toEqual(['auto', 'full']);
    expect(viewer.windows).toEqual([]);
    viewer.play({ kind: 'progress', seriesId: mr.seriesId, progress: { phase: 'done', done: 20, total: 20, failed: 0 } });
    expect(viewer.percentileCalls).toEqual([{ lower: 0.01, upper: 0.99 }]);
    expect(viewer.windows).toEqual([{ width: 700, center: 350 }]);
    expect(store.preset).toBe('auto');
    expect(store.window).toEqual({ width: 700, center: 350 });
  });

  it('applies CT presets to the viewer and forgets the preset when the window is dragged', async () => {
    const store = await started();
    await store.open(ct);
    viewer.play({ kind: 'opened', seriesId: ct.seriesId });
    viewer.play({ kind: 'progress', seriesId: ct.seriesId, progress: { phase: 'done', done: 3, total: 3, failed: 0 } });
    // CT keeps the window from its headers: no automatic preset.
    expect(viewer.windows).toEqual([]);
    expect(store.presets.map((preset) => preset.id)).toEqual(['brain', 'lung', 'abdomen', 'bone', 'auto', 'full']);
    expect(store.applyPreset('lung')).toBe(true);
    expect(viewer.windows.at(-1)).toEqual({ width: 1500, center: -600 });
    expect(store.preset).toBe('lung');
    // The viewports echo the preset's window: still the preset.
    viewer.play({ kind: 'window', window: { width: 1500, center: -600 } });
    expect(store.preset).toBe('lung');
    // A left drag changes it: no preset any more.
    viewer.play({ kind: 'window', window: { width: 1320, center: -580 } });
    expect(store.preset).toBeNull();
    expect(store.window).toEqual({ width: 1320, center: -580 });
  });

  it('keeps the readout of each plane and scrolls with the keys', async () => {
    const store = await openedMr();
    viewer.play({ kind: 'plane', plane: 'axial', readout: makeReadout({ sliceIndex: 4, sliceCount: 20 }) });
    expect(store.readouts.axial?.sliceIndex).toBe(4);
    expect(store.readouts.sagittal).toBeNull();
    expect(store.scrollByKey('axial', 'ArrowDown')).toBe(true);
    expect(store.scrollByKey('axial', 'PageUp')).toBe(true);
    expect(store.scrollByKey('axial', 'End')).toBe(true);
    expect(store.scrollByKey('axial', 'Home')).toBe(true);
    expect(store.scrollByKey('axial', 'x')).toBe(false);
    expect(viewer.scrolls).toEqual([
      { plane: 'axial', delta: 1 },
      { plane: 'axial', delta: -5 },
      { plane: 'axial', delta: 15 },
      { plane: 'axial', delta: -4 },
    ]);
  });

  it('says why a series cannot open: the app refused, the viewer failed, or it holds no images', async () => {
    const store = await started();
    app.series.list = [];
    await store.open(mr);
    expect(store.openState).toBe('failed');
    expect(store.openError).toBe('No such series in the workspace.');

    app.series.list = [mr];
    viewer.failNextOpen = 'The app refused files/series-1/0: HTTP 404.';
    await store.open(mr);
    expect(store.openState).toBe('failed');
    expect(store.openError).toBe('The app refused files/series-1/0: HTTP 404.');

    await store.open(makeSeries({ kind: 'structured-report', geometry: null }));
    expect(store.openState).toBe('failed');
    expect(store.openError).toContain('structured report');

    await store.open(makeSeries({ source: 'nifti' }));
    expect(store.openState).toBe('failed');
    expect(store.openError).toContain('NIfTI');
    expect(viewer.opened).toHaveLength(1);
  });

  it('reports a viewer that cannot start (no WebGL) instead of loading forever', async () => {
    const store = useViewerStore();
    await store.open(mr);
    await store.start(() => Promise.reject(new Error('WebGL2 is not available')));
    expect(store.engineState).toBe('failed');
    expect(store.openState).toBe('failed');
    expect(store.openError).toContain('WebGL2 is not available');
  });

  it('closes and disposes: nothing stays subscribed', async () => {
    const store = await openedMr();
    store.close();
    expect(viewer.closes).toBe(1);
    expect(store.target).toBeNull();
    expect(store.openState).toBe('empty');
    expect(store.presets).toEqual([]);
    store.stop();
    expect(viewer.disposed).toBe(true);
    expect(viewer.listenerCount()).toBe(0);
    expect(store.engineState).toBe('idle');
  });

  it('ignores a late answer for a series that is no longer wanted', async () => {
    const store = await started();
    const first = store.open(mr);
    const second = store.open(ct);
    await Promise.all([first, second]);
    await vi.waitFor(() => expect(viewer.opened.map((request) => request.seriesId)).toEqual([ct.seriesId]));
    expect(store.target?.seriesId).toBe(ct.seriesId);
  });
});
