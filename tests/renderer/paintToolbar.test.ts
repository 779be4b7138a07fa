import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import PaintToolbar from '../../src-renderer/components/PaintToolbar.vue';
import ViewportPane from '../../src-renderer/components/ViewportPane.vue';
import { useViewerStore } from '../../src-renderer/stores/viewer';
import { createFakeViewer, type FakeViewer } from './support/fakeViewer';

let wrapper: VueWrapper;
let viewer: FakeViewer;

beforeEach(async () => {
  setActivePinia(createPinia());
  viewer = createFakeViewer();
  await useViewerStore().start(() => Promise.resolve(viewer));
});

afterEach(() => wrapper?.unmount());

describe('PaintToolbar', () => {
  it('chooses tools as pressed buttons and sizes the brush in mm', async () => {
    wrapper = mount(PaintToolbar, { attachTo: document.body });
    const store = useViewerStore();
    expect(wrapper.get('button[data-tool="navigate"]').attributes('aria-pressed')).toBe('true');
    await wrapper.get('button[data-tool="eraser"]').trigger('click');
    expect(store.paintTool).toBe('eraser');
    expect(wrapper.get('button[data-tool="eraser"]').attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('[data-testid="brush-size"]').text()).toBe('⌀ 10 mm');
    await wrapper.get('button[aria-label="Larger brush"]').trigger('click');
    expect(store.brushRadiusMm).toBe(6);
    expect(wrapper.get('[data-testid="brush-size"]').text()).toBe('⌀ 12 mm');
    expect(viewer.cursorRedraws).toBeGreaterThan(0);
  });

  it('shows the HU range only for the threshold brush, and keeps it ordered', async () => {
    wrapper = mount(PaintToolbar, { attachTo: document.body });
    expect(wrapper.find('[data-testid="threshold-low"]').exists()).toBe(false);
    await wrapper.get('button[data-tool="threshold"]').trigger('click');
    const low = wrapper.get('[data-testid="threshold-low"]');
    await low.setValue('500');
    await low.trigger('change');
    expect(useViewerStore().thresholdHu).toEqual({ low: 300, high: 500 });
  });

  it('disables undo, redo and accepting with a reason while there is nothing to do', () => {
    wrapper = mount(PaintToolbar, { attachTo: document.body });
    expect(wrapper.get('[data-testid="undo"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="redo"]').attributes('disabled')).toBeDefined();
    const accept = wrapper.findAll('[aria-label="Accept prediction"] button');
    expect(accept.map((button) => button.text())).toEqual(['Slice', 'Segment', 'Volume']);
    for (const button of accept) {
      expect(button.attributes('disabled')).toBeDefined();
      expect(button.attributes('title')).toMatch(/No prediction yet/);
    }
  });
});

/** A wheel event; happy-dom's WheelEvent ignores the modifier keys of its init, so Shift is set by hand. */
function wheel(init: WheelEventInit): WheelEvent {
  const event = new WheelEvent('wheel', { bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, 'shiftKey', { value: init.shiftKey === true });
  return event;
}

describe('ViewportPane with a brush', () => {
  it('sizes the brush with Shift+wheel and keeps the wheel from the viewer', async () => {
    wrapper = mount(ViewportPane, { props: { plane: 'axial', active: true }, attachTo: document.body });
    const store = useViewerStore();
    store.setPaintTool('brush');
    await nextTick();
    expect(wrapper.get('[data-plane="axial"]').classes()).toContain('painting');
    const reached: WheelEvent[] = [];
    wrapper.get('#viewport-axial').element.addEventListener('wheel', (event) => reached.push(event as WheelEvent));
    wrapper.get('#viewport-axial').element.dispatchEvent(wheel({ deltaY: -100, shiftKey: true }));
    expect(store.brushRadiusMm).toBe(6);
    expect(reached).toHaveLength(0);
    wrapper.get('#viewport-axial').element.dispatchEvent(wheel({ deltaX: 100, shiftKey: true }));
    expect(store.brushRadiusMm).toBe(5);
    // Without Shift the wheel scrolls slices as before.
    wrapper.get('#viewport-axial').element.dispatchEvent(wheel({ deltaY: 100 }));
    expect(reached).toHaveLength(1);
    expect(store.brushRadiusMm).toBe(5);
  });
});
