import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useLayoutStore } from '../../src-renderer/stores/layout';
import { shortcutFor, type KeyPress } from '../../src-renderer/views/keyboardShortcuts';
import WorkstationView from '../../src-renderer/views/WorkstationView.vue';

let wrapper: VueWrapper;

beforeEach(() => {
  const pinia = createPinia();
  setActivePinia(pinia);
  wrapper = mount(WorkstationView, { global: { plugins: [pinia] }, attachTo: document.body });
});

afterEach(() => wrapper.unmount());

async function press(key: string, init: KeyboardEventInit = {}): Promise<void> {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  await nextTick();
}

const paneLabels = (): Array<string | undefined> => wrapper.findAll('[data-plane]').map((pane) => pane.attributes('aria-label'));

describe('WorkstationView', () => {
  it('has the landmarks and the test id of the app shell', () => {
    expect(wrapper.find('[data-testid="app-shell"]').exists()).toBe(true);
    for (const landmark of ['header', 'nav', 'main', 'aside', 'footer']) expect(wrapper.findAll(landmark)).toHaveLength(1);
  });

  it('says plainly that nothing is imported or loaded, with no stand-in content', () => {
    expect(wrapper.get('[data-testid="series-empty"]').text()).toBe('No series imported yet.');
    expect(wrapper.findAll('nav li')).toHaveLength(0);
    expect(wrapper.findAll('[data-plane] .empty').map((empty) => empty.text())).toEqual(['No series loaded', 'No series loaded', 'No series loaded']);
    const text = wrapper.text().toLowerCase();
    for (const banned of ['lorem', 'todo', 'placeholder', 'coming soon']) expect(text).not.toContain(banned);
  });

  it('shows three labelled viewports, each with an empty mount point for the viewer', () => {
    expect(paneLabels()).toEqual(['Axial viewport', 'Sagittal viewport', 'Coronal viewport']);
    for (const plane of ['axial', 'sagittal', 'coronal']) {
      const mountPoint = wrapper.get(`#viewport-${plane}`);
      expect(mountPoint.element.children).toHaveLength(0);
    }
  });

  it('switches layout and plane with 1, 3, A, S, C and the layout button', async () => {
    await press('1');
    expect(paneLabels()).toEqual(['Axial viewport']);
    await press('s');
    expect(paneLabels()).toEqual(['Sagittal viewport']);
    await press('3');
    expect(paneLabels()).toHaveLength(3);
    expect(wrapper.get('[data-plane="sagittal"]').classes()).toContain('active');

    const toggle = wrapper.get('button.layout-toggle');
    expect(toggle.attributes('aria-pressed')).toBe('false');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-pressed')).toBe('true');
    expect(paneLabels()).toEqual(['Sagittal viewport']);
  });

  it('ignores shortcuts typed into a text field or with modifiers', async () => {
    await press('1', { ctrlKey: true });
    expect(useLayoutStore().layout).toBe('1x3');
    const input = document.createElement('input');
    document.body.append(input);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
    await nextTick();
    expect(useLayoutStore().layout).toBe('1x3');
    input.remove();
  });

  it('collapses the side panels with { and } and says so on the header buttons', async () => {
    const seriesToggle = wrapper.get('button[aria-controls="series-panel"]');
    expect(seriesToggle.attributes('aria-expanded')).toBe('true');
    await press('{', { shiftKey: true });
    expect(seriesToggle.attributes('aria-expanded')).toBe('false');
    expect(wrapper.get('#series-panel').isVisible()).toBe(false);
    await press('}', { shiftKey: true });
    expect(wrapper.get('#tools-panel').isVisible()).toBe(false);
  });

  it('opens the shortcuts dialog with ?', async () => {
    const dialog = wrapper.get<HTMLDialogElement>('dialog');
    expect(dialog.element.open).toBe(false);
    await press('?', { shiftKey: true });
    expect(dialog.element.open).toBe(true);
    expect(dialog.text()).toContain('Keyboard shortcuts');
    // While the dialog is open, workstation keys do nothing.
    await press('1');
    expect(useLayoutStore().layout).toBe('1x3');
  });
});

describe('shortcutFor', () => {
  const key = (value: string, extra: Partial<KeyPress> = {}): KeyPress => ({
    key: value, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false, target: null, ...extra,
  });

  it('maps the documented keys and nothing else', () => {
    expect(shortcutFor(key('1'))).toEqual({ kind: 'layout', layout: '1x1' });
    expect(shortcutFor(key('3'))).toEqual({ kind: 'layout', layout: '1x3' });
    expect(shortcutFor(key('C'))).toEqual({ kind: 'plane', plane: 'coronal' });
    expect(shortcutFor(key('?'))).toEqual({ kind: 'show-shortcuts' });
    expect(shortcutFor(key('2'))).toBeNull();
    expect(shortcutFor(key('Enter'))).toBeNull();
    expect(shortcutFor(key('1', { metaKey: true }))).toBeNull();
    expect(shortcutFor(key('1', { defaultPrevented: true }))).toBeNull();
  });

  it('maps the painting keys: tools, brush size, undo and redo (not inside a text field)', () => {
    expect(shortcutFor(key('b'))).toEqual({ kind: 'tool', tool: 'brush' });
    expect(shortcutFor(key('E'))).toEqual({ kind: 'tool', tool: 'eraser' });
    expect(shortcutFor(key('x'))).toEqual({ kind: 'tool', tool: 'background' });
    expect(shortcutFor(key('Escape'))).toEqual({ kind: 'tool', tool: 'navigate' });
    expect(shortcutFor(key('['))).toEqual({ kind: 'brush-size', direction: -1 });
    expect(shortcutFor(key(']'))).toEqual({ kind: 'brush-size', direction: 1 });
    expect(shortcutFor(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('y', { metaKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(key('c', { ctrlKey: true }))).toBeNull();
    const input = document.createElement('input');
    expect(shortcutFor(key('z', { ctrlKey: true, target: input }))).toBeNull();
  });
});
