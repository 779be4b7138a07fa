import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import StatusBar from '../../src-renderer/components/StatusBar.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useTrainerStore } from '../../src-renderer/stores/trainer';
import { gpuProbe, makeStatus, startFakeApp } from './support/fakeApp';

describe('StatusBar', () => {
  it('shows the chosen backend kind and device, the trainer state, the host and the connection', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const app = startFakeApp(makeStatus({ state: 'ready' }, gpuProbe));
    useConnectionStore().attach(app.connection);
    const trainer = useTrainerStore();
    trainer.start();
    const wrapper = mount(StatusBar, { global: { plugins: [pinia] } });

    await vi.waitFor(() => expect(wrapper.get('[data-testid="status-backend"]').text()).toContain('tensorflow'));
    const backend = wrapper.get('[data-testid="status-backend"]').text();
    expect(backend).toContain('NVIDIA H100 80GB HBM3');
    expect(backend).toContain('1843 GFLOP/s');
    expect(wrapper.get('[data-testid="status-trainer"]').text()).toContain('ready');
    expect(wrapper.get('[data-testid="status-connection"]').attributes('data-state')).toBe('open');
    await vi.waitFor(() => expect(wrapper.get('[data-testid="status-host"]').text()).toBe('Browser host'));
    expect(wrapper.find('footer').exists()).toBe(true);

    app.publish(makeStatus({ state: 'crashed', message: 'It crashed.', since: 5_000 }, gpuProbe));
    await vi.waitFor(() => expect(wrapper.get('[data-testid="status-trainer"]').text()).toContain('crashed'));
    expect(wrapper.get('[data-testid="status-trainer"]').attributes('role')).toBe('status');
    wrapper.unmount();
  });

  it('says plainly that it waits for the trainer before the first status', () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(StatusBar, { global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="status-backend"]').text()).toContain('waiting for the trainer');
    expect(wrapper.get('[data-testid="status-connection"]').text()).toContain('Connecting');
    wrapper.unmount();
  });
});
