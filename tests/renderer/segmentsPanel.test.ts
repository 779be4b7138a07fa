import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import SegmentsPanel from '../../src-renderer/components/SegmentsPanel.vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { useSegmentsStore } from '../../src-renderer/stores/segments';
import { useViewerStore } from '../../src-renderer/stores/viewer';

let wrapper: VueWrapper;
let store: ReturnType<typeof useSegmentsStore>;

beforeEach(() => {
  const pinia = createPinia();
  setActivePinia(pinia);
  store = useSegmentsStore();
  // Attached to the document so focus() and document.activeElement behave as in a page.
  wrapper = mount(SegmentsPanel, { global: { plugins: [pinia] }, attachTo: document.body });
});

afterEach(() => wrapper.unmount());

const settle = async (): Promise<void> => {
  await nextTick();
  await nextTick();
};

const names = (): string[] => wrapper.findAll('.segment-name').map((button) => button.text());

async function addNamed(name: string): Promise<void> {
  await wrapper.get('button.add-segment').trigger('click');
  await settle();
  const input = wrapper.get<HTMLInputElement>('input.name-input');
  input.element.value = name;
  await input.trigger('keydown', { key: 'Enter' });
  await settle();
}

describe('SegmentsPanel', () => {
  it('says there are no segments yet, without fake rows', () => {
    expect(wrapper.text()).toContain('No segments yet');
    expect(wrapper.findAll('li')).toHaveLength(0);
  });

  it('adds a segment and opens its name for typing, focused', async () => {
    await wrapper.get('button.add-segment').trigger('click');
    await settle();
    const input = wrapper.get<HTMLInputElement>('input.name-input');
    expect(document.activeElement).toBe(input.element);
    expect(input.element.value).toBe('Segment 1');
    expect(input.attributes('aria-label')).toBe('New name for segment 1');
    input.element.value = 'Liver';
    await input.trigger('keydown', { key: 'Enter' });
    await settle();
    expect(names()).toEqual(['Liver']);
    expect(store.segments[0]?.name).toBe('Liver');
    expect(document.activeElement).toBe(wrapper.get('.segment-name').element);
  });

  it('renames with F2 and discards with Escape', async () => {
    await addNamed('Liver');
    await wrapper.get('.segment-name').trigger('keydown', { key: 'F2' });
    await settle();
    const input = wrapper.get<HTMLInputElement>('input.name-input');
    input.element.value = 'Spleen';
    await input.trigger('keydown', { key: 'Escape' });
    await settle();
    expect(names()).toEqual(['Liver']);
  });

  it('keeps the name open when its pencil is pressed while editing', async () => {
    await addNamed('Liver');
    const pencil = wrapper.get('button[aria-label="Rename Liver"]');
    await pencil.trigger('click');
    await settle();
    const input = wrapper.get<HTMLInputElement>('input.name-input');
    // A real press: mousedown (which must not take the focus from the name), then click.
    const pressed = new MouseEvent('mousedown', { bubbles: true, cancelable: true });
    pencil.element.dispatchEvent(pressed);
    expect(pressed.defaultPrevented).toBe(true);
    await pencil.trigger('click');
    await settle();
    expect(wrapper.find('input.name-input').exists()).toBe(true);
    expect(document.activeElement).toBe(input.element);
  });

  it('forgets the last message when another series opens', async () => {
    await addNamed('Liver');
    expect(wrapper.get('.message').text()).toBe('Renamed to Liver.');
    useViewerStore().target = { seriesId: 'series-b' as SeriesId, modality: 'MR', label: '', geometry: null };
    await settle();
    expect(wrapper.get('.message').text()).toBe('');
  });

  it('moves the active segment with the arrow keys and marks it pressed', async () => {
    await addNamed('Liver');
    await addNamed('Spleen');
    const [liver, spleen] = wrapper.findAll('.segment-name');
    expect(spleen?.attributes('aria-pressed')).toBe('true');
    await spleen?.trigger('keydown', { key: 'ArrowUp' });
    await settle();
    expect(store.active?.name).toBe('Liver');
    expect(liver?.attributes('aria-pressed')).toBe('true');
    expect(document.activeElement).toBe(liver?.element);
    await liver?.trigger('click');
    await wrapper.findAll('.segment-name')[1]?.trigger('click');
    expect(store.active?.name).toBe('Spleen');
  });

  it('hides, locks and recolours through labelled controls', async () => {
    await addNamed('Liver');
    const hide = wrapper.get('button[aria-label="Hide Liver"]');
    expect(hide.attributes('aria-pressed')).toBe('false');
    await hide.trigger('click');
    expect(hide.attributes('aria-pressed')).toBe('true');
    expect(store.segments[0]?.visible).toBe(false);

    await wrapper.get('button[aria-label="Lock Liver"]').trigger('click');
    expect(store.segments[0]?.locked).toBe(true);

    const color = wrapper.get<HTMLInputElement>('input[type="color"]');
    expect(color.attributes('aria-label')).toBe('Colour of Liver');
    color.element.value = '#123456';
    await color.trigger('change');
    expect(store.segments[0]?.color).toBe('#123456');
    expect(wrapper.get('[data-testid="segments-message"]').text()).toContain('#123456');
  });

  it('deletes only on a second press', async () => {
    await addNamed('Liver');
    await addNamed('Spleen');
    const remove = wrapper.get('button[aria-label="Delete Liver"]');
    await remove.trigger('click');
    expect(names()).toEqual(['Liver', 'Spleen']);
    expect(remove.attributes('aria-label')).toBe('Press again to delete Liver');
    await remove.trigger('click');
    await settle();
    expect(names()).toEqual(['Spleen']);
    expect(wrapper.get('[data-testid="segments-message"]').text()).toBe('Deleted Liver.');
    expect(document.activeElement).toBe(wrapper.get('.segment-name').element);
  });

  it('a pending delete is cancelled when focus leaves', async () => {
    await addNamed('Liver');
    const remove = wrapper.get('button[aria-label="Delete Liver"]');
    await remove.trigger('click');
    await remove.trigger('blur');
    expect(remove.attributes('aria-label')).toBe('Delete Liver');
  });

  it('every control is a native button or a labelled input', async () => {
    await addNamed('Liver');
    for (const input of wrapper.findAll('input')) expect(input.attributes('aria-label')).toBeTruthy();
    for (const button of wrapper.findAll('button')) {
      const name = button.attributes('aria-label') ?? button.text();
      expect(name.trim().length).toBeGreaterThan(0);
      expect(button.attributes('type')).toBe('button');
    }
  });
});
