import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { ImportReport, SeriesId } from '../../src-main/shared/contract/series';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { makeSeries, startFakeApp, type FakeApp, type FakeImport } from './support/fakeApp';
import { createFakeViewer, type FakeViewer } from './support/fakeViewer';

let app: FakeApp;
let viewer: FakeViewer;

const brain = makeSeries();
const chest = makeSeries({ seriesId: 'chest' as SeriesId, modality: 'CT', description: 'Chest', sliceCount: 300 });

beforeEach(async () => {
  setActivePinia(createPinia());
  app = startFakeApp();
  useConnectionStore().attach(app.connection);
  viewer = createFakeViewer();
  await useViewerStore().start(() => Promise.resolve(viewer));
});

function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return { series: [brain], refused: [], notFound: [], alreadyImported: [], skippedNonDicom: 0, filesScanned: 20, ...overrides };
}

async function runningImport(paths: string[]): Promise<FakeImport> {
  const store = useSeriesStore();
  expect(store.importPaths(paths)).toBe(true);
  await vi.waitFor(() => expect(app.series.imports).toHaveLength(1));
  const running = app.series.imports[0];
  if (running === undefined) throw new Error('no import');
  return running;
}

describe('series store', () => {
  it('lists the workspace on start and again after every reconnection', async () => {
    app.series.list = [brain, chest];
    const store = useSeriesStore();
    store.start();
    await vi.waitFor(() => expect(store.entries.map((entry) => entry.seriesId)).toEqual([brain.seriesId, chest.seriesId]));
    expect(store.listState).toBe('loaded');
    expect(store.isEmpty).toBe(false);

    const reconnected = startFakeApp();
    reconnected.series.list = [chest];
    useConnectionStore().detach();
    await nextTick();
    useConnectionStore().attach(reconnected.connection);
    await vi.waitFor(() => expect(store.entries.map((entry) => entry.seriesId)).toEqual([chest.seriesId]));
  });

  it('imports with progress, then keeps the report and refreshes the list', async () => {
    const store = useSeriesStore();
    const running = await runningImport(['  /data/brain  ', '']);
    expect(running.paths).toEqual(['/data/brain']);
    expect(store.importing).toBe(true);
    expect(store.importPaths(['/data/other'])).toBe(false);

    running.emit({ kind: 'progress', filesSeen: 40, filesRead: 12 });
    await vi.waitFor(() => expect(store.importRun?.filesRead).toBe(12));
    expect(store.importRun?.filesSeen).toBe(40);

    const refused = [{ path: '/data/brain/broken.dcm', reason: 'Truncated: the file ends inside the pixel data.' }];
    running.complete(report({ refused, skippedNonDicom: 3, filesScanned: 24 }));
    await vi.waitFor(() => expect(store.importRun?.state).toBe('done'));
    expect(store.importRun?.report?.refused).toEqual(refused);
    expect(store.importRun?.report?.skippedNonDicom).toBe(3);
    await vi.waitFor(() => expect(store.entries.map((entry) => entry.seriesId)).toEqual([brain.seriesId]));
    expect(store.importing).toBe(false);
  });

  it('reports a failed import with the app\'s message', async () => {
    const store = useSeriesStore();
    const running = await runningImport(['/nowhere']);
    running.fail('No such folder: /nowhere');
    await vi.waitFor(() => expect(store.importRun?.state).toBe('failed'));
    expect(store.importRun?.error).toContain('No such folder: /nowhere');
  });

  it('cancels a running import and tells the app to stop', async () => {
    const store = useSeriesStore();
    const running = await runningImport(['/data/big-archive']);
    store.cancelImport();
    expect(store.importRun?.state).toBe('cancelled');
    await vi.waitFor(() => expect(running.cancelled()).toBe(true));
  });

  it('opens the selected series in the viewer and closes it when it is removed', async () => {
    app.series.list = [brain, chest];
    const store = useSeriesStore();
    await store.refresh();
    store.select('unknown');
    expect(store.selectedId).toBeNull();
    store.select(chest.seriesId);
    expect(store.selected?.description).toBe('Chest');
    await vi.waitFor(() => expect(viewer.opened.map((request) => request.seriesId)).toEqual([chest.seriesId]));
    expect(viewer.opened[0]?.imageUrls).toHaveLength(300);

    expect(await store.remove(chest.seriesId)).toBe(true);
    expect(store.entries.map((entry) => entry.seriesId)).toEqual([brain.seriesId]);
    expect(store.selectedId).toBeNull();
    expect(viewer.closes).toBe(1);
  });

  it('says why a removal failed', async () => {
    const store = useSeriesStore();
    expect(await store.remove('gone' as SeriesId)).toBe(false);
    expect(store.actionError).toBe('No such series in the workspace.');
  });
});
