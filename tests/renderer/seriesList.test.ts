import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import SeriesList from '../../src-renderer/components/SeriesList.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { makeSeries, startFakeApp, type FakeApp } from './support/fakeApp';
import { createFakeViewer, type FakeViewer } from './support/fakeViewer';

let app: FakeApp;
let pinia: Pinia;
let viewer: FakeViewer;
let wrapper: VueWrapper;

const brain = makeSeries({
  thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
  problems: [
    { code: 'missing-slices', message: 'A slice is missing between 35.0 mm and 46.0 mm.', positionsMm: [35, 46] },
    { code: 'uneven-spacing', message: 'Slice spacing varies from 5.5 to 11.0 mm.' },
  ],
});
const chest = makeSeries({ seriesId: 'chest' as SeriesId, modality: 'CT', description: 'Chest', studyDate: '', patientName: 'Doe^Jane', sliceCount: 1, geometry: null, rows: 512, columns: 512 });
const report = makeSeries({ seriesId: 'sr' as SeriesId, kind: 'structured-report', modality: 'SR', description: 'Dose report', geometry: null });

beforeEach(async () => {
  pinia = createPinia();
  setActivePinia(pinia);
  app = startFakeApp();
  useConnectionStore().attach(app.connection);
  viewer = createFakeViewer();
  await useViewerStore().start(() => Promise.resolve(viewer));
});

afterEach(() => {
  wrapper?.unmount();
  delete (window as unknown as Record<string, unknown>).maclBridge;
});

async function mountWith(entries = [brain, chest, report]): Promise<VueWrapper> {
  app.series.list = entries;
  await useSeriesStore().refresh();
  wrapper = mount(SeriesList, { global: { plugins: [pinia] }, attachTo: document.body });
  return wrapper;
}

describe('SeriesList', () => {
  it('shows what a radiologist checks before opening a scan', async () => {
    await mountWith();
    const rows = wrapper.findAll('[data-series-id]');
    expect(rows).toHaveLength(3);
    const first = rows[0];
    if (first === undefined) throw new Error('no row');
    expect(first.text()).toContain('Brain, Test');
    expect(first.text()).toContain('MR · 2014-03-11');
    expect(first.text()).toContain('FLAIR axial');
    expect(first.get('[data-testid="series-grid"]').text()).toBe('20 slices · 256 × 256 × 20');
    expect(first.get('img.thumb').attributes('src')).toBe(brain.thumbnail);
    expect(rows[1]?.text()).toContain('date not recorded');
    expect(rows[1]?.get('[data-testid="series-grid"]').text()).toBe('1 slice · 512 × 512 × 1');
    expect(rows[2]?.get('[data-testid="series-grid"]').text()).toBe('Structured report');
    expect(wrapper.get('h2').text()).toContain('3');
  });

  it('badges problems and lists their messages when expanded', async () => {
    await mountWith();
    const problems = wrapper.findAll('[data-testid="series-problems"]');
    expect(problems).toHaveLength(1);
    const badge = problems[0];
    if (badge === undefined) throw new Error('no badge');
    expect(badge.get('summary').text()).toBe('2 problems');
    expect(badge.get('summary').attributes('title')).toContain('A slice is missing');
    expect(badge.findAll('li').map((item) => item.text())).toEqual([
      'A slice is missing between 35.0 mm and 46.0 mm.',
      'Slice spacing varies from 5.5 to 11.0 mm.',
    ]);
  });

  it('opens a series on click or Enter, and moves between rows with the arrow keys', async () => {
    await mountWith();
    const buttons = wrapper.findAll<HTMLButtonElement>('button.entry');
    buttons[0]?.element.focus();
    await wrapper.get('[data-testid="series-entries"]').trigger('keydown', { key: 'ArrowDown' });
    expect(document.activeElement).toBe(buttons[1]?.element);
    await wrapper.get('[data-testid="series-entries"]').trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(buttons[0]?.element);

    await buttons[0]?.trigger('click');
    expect(useSeriesStore().selectedId).toBe(brain.seriesId);
    expect(buttons[0]?.attributes('aria-current')).toBe('true');
    await vi.waitFor(() => expect(viewer.opened.map((request) => request.seriesId)).toEqual([brain.seriesId]));
  });

  it('removes a series from the workspace', async () => {
    await mountWith();
    await wrapper.get(`[data-series-id="${chest.seriesId}"] button[aria-label^="Remove"]`).trigger('click');
    await vi.waitFor(() => expect(wrapper.findAll('[data-series-id]')).toHaveLength(2));
    expect(app.series.calls).toContainEqual({ method: 'series.remove', seriesId: chest.seriesId });
  });

  it('says plainly when nothing is imported', async () => {
    await mountWith([]);
    expect(wrapper.get('[data-testid="series-empty"]').text()).toBe('No series imported yet.');
  });
});

describe('ImportPanel', () => {
  it('imports a typed path and shows progress, then the report', async () => {
    await mountWith([]);
    const submit = wrapper.get<HTMLButtonElement>('[data-testid="import-submit"]');
    expect(submit.element.disabled).toBe(true);
    await wrapper.get('[data-testid="import-path"]').setValue('/data/brain');
    expect(submit.element.disabled).toBe(false);
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(app.series.imports).toHaveLength(1));
    const running = app.series.imports[0];
    if (running === undefined) throw new Error('no import');
    expect(running.paths).toEqual(['/data/brain']);

    running.emit({ kind: 'progress', filesSeen: 30, filesRead: 10 });
    await vi.waitFor(() => expect(wrapper.get('[data-testid="import-run"]').text()).toContain('Reading 10 of 30 files found'));
    expect(wrapper.get('progress').attributes('value')).toBe('33');

    running.complete({
      series: [brain],
      refused: [{ path: '/data/brain/half.dcm', reason: 'Truncated inside the pixel data.' }],
      notFound: ['/data/missing'],
      alreadyImported: [{ seriesId: brain.seriesId, description: 'T1 axial', files: 20, indexedFolder: '/data/first', foundIn: '/data/brain/copy' }],
      skippedNonDicom: 4,
      filesScanned: 25,
    });
    await vi.waitFor(() => expect(wrapper.find('[data-testid="import-report"]').exists()).toBe(true));
    const text = wrapper.get('[data-testid="import-report"]').text();
    expect(text).toContain('1 series found in 25 files.');
    expect(text).toContain('4 files not DICOM or NIfTI, skipped.');
    expect(wrapper.get('[data-testid="import-not-found"]').text()).toBe('Folder not found: /data/missing');
    expect(wrapper.get('[data-testid="import-already"]').text()).toContain('T1 axial: 20 files in /data/brain/copy already imported from /data/first; nothing added');
    expect(wrapper.get('[data-testid="import-refused"] summary').text()).toBe('1 file refused');
    expect(wrapper.get('[data-testid="import-refused"] li').text()).toBe('/data/brain/half.dcm: Truncated inside the pixel data.');
    await vi.waitFor(() => expect(wrapper.findAll('[data-series-id]')).toHaveLength(1));
  });

  it('explains that drag and drop needs the desktop app in a browser', async () => {
    await mountWith([]);
    expect(wrapper.get('#import-hint').text()).toContain('Drag and drop needs the desktop app');
    window.dispatchEvent(dropEvent([new File(['x'], 'a.dcm')]));
    await nextTick();
    expect(wrapper.get('[role="alert"]').text()).toContain('Drag and drop needs the desktop app');
    expect(app.series.imports).toHaveLength(0);
  });

  it('imports dropped files and folders by their paths in the desktop app', async () => {
    (window as unknown as Record<string, unknown>).maclBridge = { pathForFile: (file: File) => `/home/rad/${file.name}` };
    await mountWith([]);
    expect(wrapper.get('#import-hint').text()).toContain('drop files and folders');
    window.dispatchEvent(dropEvent([new File(['x'], 'study-1'), new File(['y'], 'b.dcm')]));
    await vi.waitFor(() => expect(app.series.imports).toHaveLength(1));
    expect(app.series.imports[0]?.paths).toEqual(['/home/rad/study-1', '/home/rad/b.dcm']);
  });
});

/** A drop event carrying files, as the browser sends it (happy-dom has no DataTransfer constructor with files). */
function dropEvent(files: File[]): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'], files, dropEffect: 'none' } });
  return event;
}
