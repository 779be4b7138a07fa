/**
 * The missing-files notice of the selected series (RelocateSeries in the
 * series list): says plainly how many files are gone, offers "Relocate…",
 * shows the app's refusal for a wrong folder, and after a successful
 * relocation checks again and reloads the series in the viewer. The app side
 * is served in memory with the real RPC server (only the calls used here).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appContract } from '../../src-main/shared/contract/appContract';
import type { SeriesFileCheck } from '../../src-main/shared/contract/labels';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { defineContract } from '../../src-main/shared/rpc/contractDef';
import { createMemoryTransportPair } from '../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../src-main/shared/rpc/server';
import { err, ok } from '../../src-main/shared/result';
import { connectionOverTransport } from '../../src-renderer/bridge/appConnection';
import SeriesList from '../../src-renderer/components/SeriesList.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { fakeInfo, makeSeries } from './support/fakeApp';
import { createFakeViewer, type FakeViewer } from './support/fakeViewer';

const { calls } = appContract;
const relocationContract = defineContract({
  calls: { 'app.info': calls['app.info'], 'series.list': calls['series.list'], 'series.images': calls['series.images'], 'series.checkFiles': calls['series.checkFiles'], 'series.relocate': calls['series.relocate'] },
  streams: {},
});

const brain = makeSeries();
const other = makeSeries({ seriesId: 'other' as SeriesId, description: 'T1 sagittal' });
const rightFolder = '/data/moved/brain';

let pinia: Pinia;
let viewer: FakeViewer;
let wrapper: VueWrapper;
let filesMissing: number;
const relocations: string[] = [];

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  filesMissing = 20;
  relocations.length = 0;
  const [clientSide, serverSide] = createMemoryTransportPair();
  serveContract(relocationContract, {
    calls: {
      'app.info': () => ok(fakeInfo),
      'series.list': () => ok([brain, other]),
      'series.images': ({ seriesId }) => ok({ seriesId: seriesId as SeriesId, imageUrls: Array.from({ length: 20 }, (_, k) => `files/${seriesId}/${k}`) }),
      'series.checkFiles': ({ seriesId }) => {
        const missing = seriesId === brain.seriesId ? filesMissing : 0;
        const check: SeriesFileCheck = { seriesId: seriesId as SeriesId, fileCount: 20, missingCount: missing, missingExamples: Array.from({ length: Math.min(missing, 10) }, (_, n) => `/data/brain/IM${n}.dcm`) };
        return ok(check);
      },
      'series.relocate': ({ seriesId, folder }) => {
        relocations.push(folder);
        if (folder !== rightFolder) return err('not-found', `None of the 20 files of series "FLAIR axial" (series 3) is under ${folder} (0 DICOM files read there, none of them from this series). Nothing was changed: name the folder that holds all of them.`);
        filesMissing = 0;
        return ok({ ...brain, seriesId: seriesId as SeriesId });
      },
    },
    streams: {},
  }, serverSide);
  useConnectionStore().attach(connectionOverTransport(clientSide, 'browser'));
  viewer = createFakeViewer();
  await useViewerStore().start(() => Promise.resolve(viewer));
  await useSeriesStore().refresh();
  wrapper = mount(SeriesList, { global: { plugins: [pinia] }, attachTo: document.body });
});

afterEach(() => wrapper.unmount());

async function selectBrain(): Promise<void> {
  viewer.failNextOpen = 'Could not load files/series-1/0: HTTP 404';
  await wrapper.get(`[data-series-id="${brain.seriesId}"] button.entry`).trigger('click');
  await flushPromises();
}

describe('RelocateSeries', () => {
  it('says nothing while the selected series has its files', async () => {
    await wrapper.get(`[data-series-id="${other.seriesId}"] button.entry`).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="relocate-series"]').exists()).toBe(false);
  });

  it('says plainly that the files are gone and lists some of them', async () => {
    await selectBrain();
    const notice = wrapper.get(`[data-series-id="${brain.seriesId}"] [data-testid="relocate-series"]`);
    expect(notice.get('[role="alert"]').text()).toBe('All 20 files of this series are no longer where they were imported from (moved, renamed or deleted), so it cannot be shown. Its labels are kept.');
    expect(notice.findAll('.examples li').map((item) => item.text())).toEqual([...Array.from({ length: 10 }, (_, n) => `/data/brain/IM${n}.dcm`), 'and 10 more']);
    expect(wrapper.find(`[data-series-id="${other.seriesId}"] [data-testid="relocate-series"]`).exists()).toBe(false);
  });

  it('shows the app’s refusal for a wrong folder, then relocates and reloads the series', async () => {
    await selectBrain();
    expect(viewer.opened).toHaveLength(1);
    await wrapper.get('[data-testid="relocate-open"]').trigger('click');
    const field = wrapper.get('[data-testid="relocate-folder"]');
    expect(wrapper.get('[data-testid="relocate-submit"]').attributes('disabled')).toBeDefined();
    await field.setValue('/data/elsewhere');
    await wrapper.get('[data-testid="relocate-series"] form').trigger('submit');
    await flushPromises();
    expect(relocations).toEqual(['/data/elsewhere']);
    expect(wrapper.get('[data-testid="relocate-error"]').text()).toContain('None of the 20 files of series "FLAIR axial" (series 3) is under /data/elsewhere');
    expect(viewer.opened).toHaveLength(1);

    await field.setValue(`  ${rightFolder} `);
    await wrapper.get('[data-testid="relocate-series"] form').trigger('submit');
    await flushPromises();
    expect(relocations).toEqual(['/data/elsewhere', rightFolder]);
    expect(wrapper.find('[data-testid="relocate-series"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="relocate-done"]').text()).toBe(`Found every file under ${rightFolder}; the series is loading again.`);
    expect(viewer.opened).toHaveLength(2);
    expect(viewer.opened[1]?.seriesId).toBe(brain.seriesId);
    expect(useViewerStore().openState).not.toBe('failed');
    expect(useSeriesStore().fileChecks[brain.seriesId]?.missingCount).toBe(0);
  });
});
