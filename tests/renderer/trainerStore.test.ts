import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import type { TrainerState } from '../../src-main/shared/contract/compute';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useTrainerStore } from '../../src-renderer/stores/trainer';
import { gpuProbe, makeStatus, startFakeApp, type FakeApp } from './support/fakeApp';

let app: FakeApp;

beforeEach(() => {
  setActivePinia(createPinia());
  app = startFakeApp(makeStatus({ state: 'ready' }, gpuProbe));
  useConnectionStore().attach(app.connection);
});

describe('trainer store', () => {
  it('reports the streamed status: state, backend, device, speed and probes', async () => {
    const trainer = useTrainerStore();
    expect(trainer.status).toBeNull();
    trainer.start();
    await vi.waitFor(() => expect(trainer.state).toBe('ready'));
    expect(trainer.backend).toBe('tensorflow');
    expect(trainer.device).toBe('NVIDIA H100 80GB HBM3');
    expect(trainer.gflops).toBe(1843.2);
    expect(trainer.probes.map((probe) => probe.backend)).toEqual(['tensorflow', 'webgpu']);
    expect(trainer.alarming).toBe(false);
  });

  it('follows crashed -> restarting -> ready and keeps the supervisor message', async () => {
    const trainer = useTrainerStore();
    const seen: TrainerState[] = [];
    watch(() => trainer.state, (state) => {
      if (state !== null) seen.push(state);
    }, { flush: 'sync' });
    trainer.start();
    await vi.waitFor(() => expect(trainer.state).toBe('ready'));

    const crashed = 'The trainer stopped unexpectedly (out of GPU memory). Restarting from the last checkpoint.';
    app.publish(makeStatus({ state: 'crashed', pid: null, message: crashed, since: 2_000 }, gpuProbe));
    await vi.waitFor(() => expect(trainer.state).toBe('crashed'));
    expect(trainer.message).toBe(crashed);
    expect(trainer.alarming).toBe(true);

    app.publish(makeStatus({ state: 'restarting', pid: null, restarts: 1, message: crashed, since: 2_100 }, gpuProbe));
    await vi.waitFor(() => expect(trainer.state).toBe('restarting'));
    expect(trainer.alarming).toBe(true);

    const recovered = 'The trainer was restarted after a crash.';
    app.publish(makeStatus({ state: 'ready', pid: 4343, restarts: 1, message: recovered, since: 2_500 }, gpuProbe));
    await vi.waitFor(() => expect(trainer.state).toBe('ready'));
    expect(trainer.message).toBe(recovered);
    expect(trainer.alarming).toBe(false);
    expect(trainer.status?.restarts).toBe(1);
    expect(seen).toEqual(['ready', 'crashed', 'restarting', 'ready']);
  });

  it('setBackend calls trainer.setBackend and applies the answer', async () => {
    const trainer = useTrainerStore();
    trainer.start();
    await vi.waitFor(() => expect(trainer.state).toBe('ready'));
    const pending = trainer.setBackend('cpu');
    expect(trainer.pending).toBe('setBackend');
    expect(await pending).toBe(true);
    expect(app.received).toEqual([{ method: 'trainer.setBackend', preference: 'cpu' }]);
    expect(trainer.preference).toBe('cpu');
    expect(trainer.pending).toBeNull();
  });

  it('restart calls trainer.restart', async () => {
    const trainer = useTrainerStore();
    trainer.start();
    expect(await trainer.restart()).toBe(true);
    expect(app.received).toEqual([{ method: 'trainer.restart' }]);
    expect(trainer.state).toBe('starting');
  });

  it('shows the app\'s error when an action fails', async () => {
    const trainer = useTrainerStore();
    app.failNextAction('The trainer cannot restart while a checkpoint is being written.');
    expect(await trainer.restart()).toBe(false);
    expect(trainer.actionError).toBe('The trainer cannot restart while a checkpoint is being written.');
  });

  it('ignores an answer older than what the stream already delivered', async () => {
    const trainer = useTrainerStore();
    trainer.start();
    await vi.waitFor(() => expect(trainer.state).toBe('ready'));
    app.publish(makeStatus({ state: 'failed', message: 'gone', since: 9_000 }));
    await vi.waitFor(() => expect(trainer.state).toBe('failed'));
    // The fake answers restart with since = 9001: newer, so applied.
    await trainer.restart();
    expect(trainer.state).toBe('starting');
    expect(trainer.status?.since).toBe(9_001);
  });

  it('cancels its subscription on stop and on $dispose', async () => {
    const trainer = useTrainerStore();
    trainer.start();
    await vi.waitFor(() => expect(app.subscriberCount()).toBe(1));
    trainer.stop();
    await vi.waitFor(() => expect(app.subscriberCount()).toBe(0));

    trainer.start();
    await vi.waitFor(() => expect(app.subscriberCount()).toBe(1));
    trainer.$dispose();
    await vi.waitFor(() => expect(app.subscriberCount()).toBe(0));
  });

  it('the connection store learns the app info once open', async () => {
    const connection = useConnectionStore();
    expect(connection.state).toBe('open');
    await vi.waitFor(() => expect(connection.info?.version).toBe('0.1.0-test'));
    expect(connection.shell).toBe('browser');
  });
});
