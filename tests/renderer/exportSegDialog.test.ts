import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { Segment } from '../../src-main/shared/contract/labels';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { err, ok, type Result } from '../../src-main/shared/result';
import type { AppConnection } from '../../src-renderer/bridge/appConnection';
import ExportSegDialog from '../../src-renderer/components/ExportSegDialog.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';

const segment = (label: number, name: string): Segment => ({
  label,
  name,
  color: '#aa0000',
  visible: true,
  locked: false,
  category: { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' },
  type: { scheme: 'SCT', value: '10200004', meaning: 'Liver' },
});

let calls: { method: string; params: unknown }[];
let answer: Result<unknown>;
let wrapper: VueWrapper;

/** A connection that records calls and answers labels.exportSeg with `answer`. */
function fakeConnection(): AppConnection {
  return {
    shell: 'browser',
    status: () => ({ state: 'open', reason: null, retryInMs: null }),
    onStatus: () => () => undefined,
    follow: () => () => undefined,
    close: () => undefined,
    call: ((method: string, params: unknown) => {
      calls.push({ method, params });
      if (method === 'app.info') return Promise.resolve(ok({ name: 'MACL', version: '0', host: 'browser', platform: 'linux' }));
      return Promise.resolve(answer);
    }) as AppConnection['call'],
  } as AppConnection;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 4; i++) await nextTick();
};

beforeEach(() => {
  const pinia = createPinia();
  setActivePinia(pinia);
  calls = [];
  answer = ok({ path: '/out/SEG_900_Segmentation.dcm', frames: 12, segments: 2 });
  useConnectionStore().attach(fakeConnection());
  wrapper = mount(ExportSegDialog, {
    props: { seriesId: 'series-1' as SeriesId, segments: [segment(1, 'Liver'), segment(4, 'Spleen')], defaultFolder: '/out' },
    global: { plugins: [pinia] },
    attachTo: document.body,
  });
});

afterEach(() => wrapper.unmount());

const exportCalls = (): unknown[] => calls.filter((c) => c.method === 'labels.exportSeg').map((c) => c.params);

describe('ExportSegDialog', () => {
  it('lists the segments, all chosen, and exports them with the choices made', async () => {
    expect(wrapper.findAll('label.segment').map((l) => l.text())).toEqual(['Liver', 'Spleen']);
    await wrapper.get('input.include-strokes').setValue(true);
    await wrapper.get('input.description').setValue('Abdomen CT');
    await wrapper.get('input.series-number').setValue('42');
    await wrapper.get('input.creator').setValue('Doe^Jane');
    const before = vi.fn(() => Promise.resolve());
    await wrapper.setProps({ beforeExport: before });
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(before).toHaveBeenCalledOnce();
    expect(exportCalls()).toEqual([
      // No file name typed: the app takes the offered one, or a free variant of it when it exists.
      { seriesId: 'series-1', folder: '/out', segments: [1, 4], includeStrokes: true, description: 'Abdomen CT', seriesNumber: 42, creator: 'Doe^Jane' },
    ]);
    expect(wrapper.get('.result').text()).toBe('Written: /out/SEG_900_Segmentation.dcm (2 segments, 12 frames)');
    expect(wrapper.emitted('exported')?.[0]).toEqual([{ path: '/out/SEG_900_Segmentation.dcm', frames: 12, segments: 2 }]);
  });

  it('offers a file name from the description and number, and sends the one the user types', async () => {
    const name = wrapper.get<HTMLInputElement>('input.file-name');
    expect(name.element.value).toBe('SEG_900_Segmentation.dcm');
    await wrapper.get('input.description').setValue('Brain mask');
    expect(name.element.value).toBe('SEG_900_Brain_mask.dcm');
    await name.setValue('brain-final');
    await wrapper.get('input.description').setValue('Brain');
    expect(name.element.value).toBe('brain-final');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(exportCalls()).toEqual([expect.objectContaining({ folder: '/out', fileName: 'brain-final' })]);
    await name.setValue('sub/brain');
    expect(wrapper.get('.hint').text()).toMatch(/must not contain/);
  });

  it('exports only the ticked segments, in list order', async () => {
    const boxes = wrapper.findAll('label.segment input');
    await boxes[0]?.setValue(false);
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(exportCalls()).toEqual([expect.objectContaining({ segments: [4] })]);
  });

  it('says what is missing and does not export without segments or a folder', async () => {
    for (const box of wrapper.findAll('label.segment input')) await box.setValue(false);
    expect(wrapper.get('.hint').text()).toBe('Choose at least one segment.');
    expect(wrapper.get('button.export').attributes('disabled')).toBeDefined();
    await wrapper.findAll('label.segment input')[1]?.setValue(true);
    await wrapper.get('input.folder').setValue('  ');
    expect(wrapper.get('.hint').text()).toBe('Type the folder to write the file into.');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(exportCalls()).toEqual([]);
  });

  it('shows the app’s refusal', async () => {
    answer = err('bad-request', 'Nothing to export: the chosen segment(s) (Liver) have no voxels.');
    await wrapper.get('form').trigger('submit');
    await settle();
    expect(wrapper.get('[role="alert"]').text()).toBe('Nothing to export: the chosen segment(s) (Liver) have no voxels.');
    expect(wrapper.find('.result').exists()).toBe(false);
  });

  it('tells a series without segments that there is nothing to export', async () => {
    await wrapper.setProps({ segments: [] });
    expect(wrapper.get('.empty').text()).toBe('No segments yet.');
    expect(wrapper.get('.hint').text()).toBe('This series has no segments to export yet.');
  });
});
