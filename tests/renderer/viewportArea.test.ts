import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import ViewportArea from '../../src-renderer/components/ViewportArea.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useLayoutStore } from '../../src-renderer/stores/layout';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { makeSeries, startFakeApp, type FakeApp } from './support/fakeApp';
import { createFakeViewer, makeReadout, type FakeViewer } from './support/fakeViewer';

let app: FakeApp;
let pinia: Pinia;
let viewer: FakeViewer;
let wrapper: VueWrapper;

/** 120 axial slices 2.5 mm apart from z = -280 mm (feet first: the grid's k = 0 is the lowest). */
const ct = makeSeries({
  seriesId: 'ct' as SeriesId, modality: 'CT', patientName: 'Doe^John', description: 'Abdomen venous', sliceCount: 120,
  geometry: { dimensions: [512, 512, 120], spacingMm: [0.7, 0.7, 2.5], originMm: [-180, -180, -280], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], orientation: 'axial' },
});
/** The axial viewport on grid slice k = 59 (z = -132.5 mm): cornerstone looks along -z, so its index counts from the top, 120 - 1 - 59. */
const axialReadout = makeReadout({ sliceIndex: 60, sliceCount: 120, positionMm: -132.5, focalPointMm: [0, 0, -132.5], normal: [0, 0, -1] });

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  app = startFakeApp();
  app.series.list = [ct];
  useConnectionStore().attach(app.connection);
  viewer = createFakeViewer();
  wrapper = mount(ViewportArea, { global: { plugins: [pinia] }, attachTo: document.body });
  await useViewerStore().start(() => Promise.resolve(viewer));
});

afterEach(() => wrapper.unmount());

async function openCt(): Promise<void> {
  const store = useViewerStore();
  await store.open(ct);
  viewer.play({ kind: 'progress', seriesId: ct.seriesId, progress: { phase: 'decoding', done: 30, total: 120, failed: 0 } });
  await nextTick();
}

async function finishLoading(): Promise<void> {
  viewer.play({ kind: 'opened', seriesId: ct.seriesId });
  viewer.play({ kind: 'progress', seriesId: ct.seriesId, progress: { phase: 'done', done: 120, total: 120, failed: 0 } });
  viewer.play({ kind: 'plane', plane: 'axial', readout: axialReadout });
  viewer.play({ kind: 'plane', plane: 'sagittal', readout: makeReadout({ sliceIndex: 255, sliceCount: 512, positionMm: 0, focalPointMm: [0, 0, -132.5], normal: [1, 0, 0] }) });
  viewer.play({ kind: 'plane', plane: 'coronal', readout: makeReadout({ sliceIndex: 255, sliceCount: 512, positionMm: 0, focalPointMm: [0, 0, -132.5], normal: [0, -1, 0] }) });
  viewer.play({ kind: 'window', window: { width: 400, center: 40 } });
  await nextTick();
}

describe('ViewportArea', () => {
  it('gives each mounted pane to the viewer, and takes it back in the 1x1 layout', async () => {
    expect([...viewer.attached.keys()].sort()).toEqual(['axial', 'coronal', 'sagittal']);
    expect(viewer.attached.get('axial')?.id).toBe('viewport-axial');
    useLayoutStore().setLayout('1x1');
    await nextTick();
    expect([...viewer.attached.keys()]).toEqual(['axial']);
    useLayoutStore().setLayout('1x3');
    await nextTick();
    expect(viewer.attached.size).toBe(3);
  });

  it('shows loading progress, then the overlays: slice, position, window and orientation', async () => {
    expect(wrapper.findAll('[data-plane] .empty').map((empty) => empty.text())).toEqual(['No series loaded', 'No series loaded', 'No series loaded']);
    await openCt();
    expect(wrapper.get('[data-testid="viewer-progress"]').text()).toBe('Decoding slices 30/120 · 62 %');
    expect(wrapper.get('[data-plane="axial"] .loading').text()).toBe('Loading 62 %');
    expect(wrapper.get('[data-testid="viewer-series"]').text()).toBe('Doe^John · Abdomen venous');

    await finishLoading();
    expect(wrapper.find('[data-testid="viewer-progress"]').exists()).toBe(false);
    expect(wrapper.find('[data-plane="axial"] .loading').exists()).toBe(false);
    // The number every panel uses for k = 59 (sliceNumbering.ts), which is cornerstone's index + 1 here.
    expect(wrapper.get('[data-testid="slice-axial"]').text()).toBe('61 / 120-132.5 mm');
    expect(wrapper.get('[data-testid="slice-axial"]').attributes('data-slice-index')).toBe('60');
    expect(wrapper.get('[data-testid="window-axial"]').text()).toBe('W 400  L 40');
    expect(wrapper.get('[data-testid="orientation-axial-left"]').text()).toBe('R');
    expect(wrapper.get('[data-testid="orientation-axial-top"]').text()).toBe('A');
  });

  it('offers the CT presets as buttons once the series is open, and marks the chosen one', async () => {
    await openCt();
    const buttons = (): Array<{ id: string | undefined; disabled: boolean; pressed: string | undefined }> =>
      wrapper.findAll<HTMLButtonElement>('[data-testid="window-presets"] button').map((button) => ({
        id: button.attributes('data-preset'), disabled: button.element.disabled, pressed: button.attributes('aria-pressed'),
      }));
    expect(buttons().map((button) => button.id)).toEqual(['brain', 'lung', 'abdomen', 'bone', 'auto', 'full']);
    expect(buttons().every((button) => button.disabled)).toBe(true);
    await finishLoading();
    await wrapper.get('[data-preset="bone"]').trigger('click');
    expect(viewer.windows.at(-1)).toEqual({ width: 1800, center: 400 });
    expect(buttons().find((button) => button.id === 'bone')?.pressed).toBe('true');
    expect(wrapper.get('[data-testid="window-axial"]').text()).toBe('W 1800  L 400');
  });

  it('scrolls the focused pane with the keyboard and makes its plane active', async () => {
    await openCt();
    await finishLoading();
    const coronal = wrapper.get('[data-testid="pane-coronal"]');
    await coronal.trigger('pointerdown');
    expect(useLayoutStore().activePlane).toBe('coronal');
    expect(document.activeElement).toBe(coronal.element);
    await coronal.trigger('keydown', { key: 'ArrowUp' });
    await coronal.trigger('keydown', { key: 'PageDown' });
    await coronal.trigger('keydown', { key: 'ArrowDown', ctrlKey: true });
    expect(viewer.scrolls).toEqual([{ plane: 'coronal', delta: -1 }, { plane: 'coronal', delta: 51 }]); // a page is a tenth of the 512 coronal slices
  });

  it('says why a series could not be opened', async () => {
    viewer.failNextOpen = 'The app refused files/ct/0: HTTP 403.';
    await useViewerStore().open(ct);
    await nextTick();
    expect(wrapper.get('[data-plane="axial"] [role="alert"]').text()).toBe('The app refused files/ct/0: HTTP 403.');
  });
});
