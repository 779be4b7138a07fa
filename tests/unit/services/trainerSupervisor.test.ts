import { describe, expect, it } from 'vitest';
import { ok } from '../../../src-main/shared/result';
import { createTrainerSupervisor, type TrainerSupervisorOptions } from '../../../src-main/services/trainerSupervisor';
import { cpuReport, createFakeSpawner, probeError, type FakeTrainerBehaviour } from './fakeTrainer';
import { recordStatuses, waitForStatus } from './statusWaiter';

function setup(behaviour: FakeTrainerBehaviour = {}, options: Partial<TrainerSupervisorOptions> = {}) {
  const fake = createFakeSpawner(behaviour);
  const supervisor = createTrainerSupervisor({
    spawn: fake.spawn,
    preference: 'auto',
    restartPolicy: { delaysMs: [1], maxRestarts: 2, windowMs: 60_000 },
    findSwiftShaderIcd: () => null,
    ...options,
  });
  return { ...fake, supervisor, statuses: recordStatuses(supervisor) };
}

describe('trainer supervisor (fake trainer, no processes)', () => {
  it('goes stopped -> starting -> probing -> ready and hands out a client', async () => {
    const { supervisor, statuses } = setup();
    expect(supervisor.status().state).toBe('stopped');
    expect(supervisor.client()).toBeNull();
    const ready = await supervisor.start();
    expect(ready).toMatchObject({ state: 'ready', pid: 1000, restarts: 0, message: null });
    expect(ready.report?.chosen.backend).toBe('cpu');
    expect(statuses.seen.map((s) => s.state)).toEqual(['starting', 'probing', 'ready']);
    const ping = await supervisor.client()?.call('ping', {});
    expect(ping).toEqual({ ok: true, value: { pid: 1000, uptimeMs: 1 } });
    await supervisor.dispose();
    expect(supervisor.status().state).toBe('stopped');
    expect(supervisor.client()).toBeNull();
  });

  it('restarts a crashed trainer and says so', async () => {
    const { supervisor, trainers, statuses } = setup();
    await supervisor.start();
    trainers[0]?.crash({ code: null, signal: 'SIGKILL' });
    const ready = await waitForStatus(supervisor, (s) => s.state === 'ready' && s.restarts === 1, 2000);
    const crashed = statuses.seen.find((s) => s.state === 'crashed');
    expect(crashed?.message).toBe('The trainer process stopped unexpectedly (signal SIGKILL). Restarting it (attempt 1 of 2)…');
    expect(statuses.seen.map((s) => s.state)).toEqual(['starting', 'probing', 'ready', 'crashed', 'restarting', 'starting', 'probing', 'ready']);
    expect(ready.pid).toBe(1001);
    expect(ready.message).toMatch(/running again .*signal SIGKILL/);
    await supervisor.dispose();
  });

  it('gives up after too many crashes within the window, with what to do', async () => {
    // Dies while probing every time, as a GPU driver that crashes the process would.
    const { supervisor, trainers } = setup({
      probe: (_preference, trainer) => {
        trainer.crash({ code: 134, signal: null });
        return new Promise(() => undefined);
      },
    });
    const settled = await supervisor.start();
    expect(settled.state).toBe('failed');
    expect(settled.message).toMatch(/stopped unexpectedly 3 times within a minute \(last: exit code 134\).*not restarted.*"cpu" backend.*Restart/);
    expect(trainers).toHaveLength(3);
    expect(settled.restarts).toBe(2);
    // No restart is pending once failed.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(trainers).toHaveLength(3);
    // A manual restart forgets the crashes and tries again.
    const again = supervisor.restart();
    expect(trainers).toHaveLength(4);
    expect((await again).state).toBe('failed');
    await supervisor.dispose();
  });

  it('reports a failed probe as failed, with the reason, and stops the process', async () => {
    const { supervisor, trainers } = setup({ probe: () => probeError('The "webgpu" backend was requested but is not usable: no adapter.') }, { preference: 'webgpu' });
    const settled = await supervisor.start();
    expect(settled.state).toBe('failed');
    expect(settled.message).toBe('The trainer could not start a compute backend: The "webgpu" backend was requested but is not usable: no adapter.');
    expect(trainers[0]?.killed).toBe(true);
    expect(settled.pid).toBeNull();
    await supervisor.dispose();
  });

  it('stops a trainer whose probe hangs', async () => {
    const { supervisor, trainers } = setup({ probe: () => new Promise(() => undefined) }, { probeTimeoutMs: 30 });
    const settled = await supervisor.start();
    expect(settled.state).toBe('failed');
    expect(settled.message).toMatch(/did not finish within 30 ms.*stopped/);
    expect(trainers[0]?.killed).toBe(true);
    await supervisor.dispose();
  });

  it('setPreference restarts and re-probes with the new preference', async () => {
    const seenPreferences: string[] = [];
    const { supervisor, trainers } = setup({ probe: (preference) => (seenPreferences.push(preference), ok(cpuReport(preference))) });
    await supervisor.start();
    const settled = await supervisor.setPreference('cpu');
    expect(settled).toMatchObject({ state: 'ready', preference: 'cpu', restarts: 0 });
    expect(settled.report?.preference).toBe('cpu');
    expect(seenPreferences).toEqual(['auto', 'cpu']);
    expect(trainers[0]?.killed).toBe(true);
    await supervisor.dispose();
  });

  it('points Vulkan at SwiftShader when it is forced', async () => {
    const { supervisor, trainers } = setup({}, { preference: 'webgpu-swiftshader', findSwiftShaderIcd: () => '/opt/ss/vk_swiftshader_icd.json' });
    await supervisor.start();
    expect(trainers[0]?.env.VK_ICD_FILENAMES).toBe('/opt/ss/vk_swiftshader_icd.json');
    expect(trainers[0]?.env.XDG_RUNTIME_DIR).toBeTruthy();
    const auto = await supervisor.setPreference('auto');
    expect(auto.state).toBe('ready');
    expect(trainers[1]?.env).toEqual({});
    await supervisor.dispose();
  });

  it('hands the WebAssembly thread setting to every trainer it starts until it is changed', async () => {
    const { supervisor, trainers } = setup();
    await supervisor.start();
    expect(trainers[0]?.env).toEqual({});
    const two = await supervisor.setPreference('wasm', 2);
    expect(two).toMatchObject({ state: 'ready', preference: 'wasm', wasmThreads: 2 });
    expect(trainers[1]?.env).toEqual({ MACL_WASM_THREADS: '2' });
    await supervisor.setPreference('auto');
    expect(trainers[2]?.env).toEqual({ MACL_WASM_THREADS: '2' });
    const every = await supervisor.setPreference('auto', null);
    expect(every.wasmThreads).toBeNull();
    expect(trainers[3]?.env).toEqual({});
    await supervisor.dispose();
  });

  it('fails forced SwiftShader plainly when no driver is found, without starting a process', async () => {
    const { supervisor, trainers } = setup({}, { preference: 'webgpu-swiftshader' });
    const settled = await supervisor.start();
    expect(settled.state).toBe('failed');
    expect(settled.message).toMatch(/needs a SwiftShader Vulkan driver.*MACL_SWIFTSHADER_ICD/);
    expect(trainers).toHaveLength(0);
    await supervisor.dispose();
  });

  it('unsubscribes listeners, and dispose cancels a pending restart', async () => {
    const { supervisor, trainers } = setup({}, { restartPolicy: { delaysMs: [10_000] } });
    const seen: string[] = [];
    const off = supervisor.onStatus((s) => seen.push(s.state));
    await supervisor.start();
    off();
    trainers[0]?.crash();
    await waitForStatus(supervisor, (s) => s.state === 'restarting', 1000);
    expect(seen).toEqual(['starting', 'probing', 'ready']);
    await supervisor.dispose();
    expect(supervisor.status().state).toBe('stopped');
    expect(trainers).toHaveLength(1);
    expect(await supervisor.start()).toMatchObject({ state: 'stopped' });
  });
});
