import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import TrainingPanel from '../../src-renderer/components/TrainingPanel.vue';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useTrainerStore } from '../../src-renderer/stores/trainer';
import { cpuProbe, makeStatus, startFakeApp, type FakeApp } from './support/fakeApp';

let app: FakeApp;
let wrapper: VueWrapper;

beforeEach(async () => {
  const pinia = createPinia();
  setActivePinia(pinia);
  app = startFakeApp(makeStatus({ state: 'ready' }, cpuProbe));
  useConnectionStore().attach(app.connection);
  useTrainerStore().start();
  wrapper = mount(TrainingPanel, { global: { plugins: [pinia] } });
  await vi.waitFor(() => expect(useTrainerStore().state).toBe('ready'));
});

afterEach(() => wrapper.unmount());

describe('TrainingPanel', () => {
  it('lists every probed backend with usable, device, speed and reason', () => {
    const groups = wrapper.findAll('tbody[data-backend]');
    expect(groups.map((group) => group.attributes('data-backend'))).toEqual(['cpu', 'webgpu']);
    const [cpu, webgpu] = groups;
    expect(cpu?.get('th').text()).toBe('cpu (in use)');
    expect(cpu?.text()).toContain('CPU (JavaScript)');
    expect(cpu?.text()).toContain('1.25');
    expect(cpu?.text()).toContain('412');
    expect(webgpu?.findAll('td')[0]?.text()).toBe('no');
    expect(webgpu?.text()).toContain('No WebGPU adapter was found.');
  });

  it('applies a chosen backend through trainer.setBackend', async () => {
    const apply = wrapper.get('button[type="submit"]');
    expect(apply.attributes('disabled')).toBeDefined();
    await wrapper.get('input[value="webgpu-swiftshader"]').setValue(true);
    expect(apply.attributes('disabled')).toBeUndefined();
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(app.received).toEqual([{ method: 'trainer.setBackend', preference: 'webgpu-swiftshader', threads: null }]));
    await vi.waitFor(() => expect(useTrainerStore().preference).toBe('webgpu-swiftshader'));
  });

  it('applies a WebAssembly thread count with the backend, and refuses one that is not a whole number', async () => {
    const apply = wrapper.get('button[type="submit"]');
    const threads = wrapper.get('.threads input');
    expect(threads.attributes('placeholder')).toBe('every core');
    await threads.setValue('two');
    expect(apply.attributes('disabled')).toBeDefined();
    expect(threads.attributes('aria-invalid')).toBe('true');
    await threads.setValue('2');
    expect(apply.attributes('disabled')).toBeUndefined();
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(app.received).toEqual([{ method: 'trainer.setBackend', preference: 'auto', threads: 2 }]));
    await vi.waitFor(() => expect(useTrainerStore().wasmThreads).toBe(2));
    expect((threads.element as HTMLInputElement).value).toBe('2');
  });

  it('explains each backend choice in one line', () => {
    for (const option of ['auto', 'tensorflow', 'webgpu', 'webgpu-swiftshader', 'cpu']) {
      const input = wrapper.get(`input[value="${option}"]`);
      const explanation = wrapper.get(`#${input.attributes('aria-describedby') ?? ''}`);
      expect(explanation.text().length).toBeGreaterThan(20);
    }
  });

  it('shows the supervisor message as an alert while the trainer is down', async () => {
    app.publish(makeStatus({ state: 'crashed', pid: null, message: 'The trainer ran out of GPU memory.', since: 3_000 }));
    await vi.waitFor(() => expect(wrapper.find('[data-testid="trainer-message"]').exists()).toBe(true));
    const notice = wrapper.get('[data-testid="trainer-message"]');
    expect(notice.attributes('role')).toBe('alert');
    expect(notice.text()).toContain('The trainer ran out of GPU memory.');
    expect(notice.text()).toContain('Trainer stopped');

    app.publish(makeStatus({ state: 'ready', restarts: 1, message: 'Restarted after a crash.', since: 3_500 }));
    await vi.waitFor(() => expect(wrapper.get('[data-testid="trainer-message"]').attributes('role')).toBe('status'));
    expect(wrapper.get('[data-testid="trainer-message"]').text()).toContain('Restarted after a crash.');
  });

  it('restarts the trainer from its button', async () => {
    const restart = wrapper.findAll('button').find((button) => button.text().includes('Restart trainer'));
    await restart?.trigger('click');
    await vi.waitFor(() => expect(app.received).toEqual([{ method: 'trainer.restart' }]));
  });
});
