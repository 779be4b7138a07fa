/**
 * The supervisor with a REAL trainer process: the trainer entry is bundled
 * as scripts/build.mjs bundles it, forked, probed, killed with SIGKILL and
 * brought back. The bundle goes under build/ (not the system temp folder)
 * so that its external packages (webgpu) resolve from this project's node_modules.
 */
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkSpawner } from '../../../src-main/services/forkTrainer';
import { createTrainerSupervisor, type TrainerSupervisor } from '../../../src-main/services/trainerSupervisor';
import { createRpcClient } from '../../../src-main/shared/rpc/client';
import type { Transport } from '../../../src-main/shared/rpc/transport';
import { findSwiftShaderIcd } from '../../../src-main/trainer/backends/swiftShaderIcd';
import { trainerContract } from '../../../src-main/shared/contract/trainer/protocol';
import { recordStatuses, waitForStatus } from './statusWaiter';
import { bundleTrainer } from '../../support/bundleTrainer';
import { isAlive, killChild } from '../../support/killProcess';

let outDir = '';
let trainerPath = '';
const trainerLog: string[] = [];

function newSupervisor(preference: 'auto' | 'cpu' | 'webgpu-swiftshader'): TrainerSupervisor {
  return createTrainerSupervisor({
    spawn: createForkSpawner(trainerPath, { output: (line, _stream, pid) => trainerLog.push(`[${pid}] ${line}`) }),
    preference,
    restartPolicy: { delaysMs: [100] },
  });
}

beforeAll(async () => {
  ({ dir: outDir, trainerPath } = await bundleTrainer('test-trainer'));
});

afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

describe('trainer supervisor with a forked trainer', () => {
  let supervisor: TrainerSupervisor;
  let firstPid = 0;

  it('starts the trainer and probes: a processor backend is chosen, wasm loads, native TensorFlow is reported missing', async () => {
    supervisor = newSupervisor('auto');
    const ready = await supervisor.start();
    expect(ready.state, trainerLog.join('\n')).toBe('ready');
    // No GPU here: the faster of the two processor backends wins (which one is a timing, not checked).
    expect(ready.report?.chosen).toMatchObject({ usable: true });
    expect(['wasm', 'cpu']).toContain(ready.report?.chosen.backend);
    expect(ready.report?.probes.find((p) => p.backend === 'wasm')).toMatchObject({ usable: true, reason: null });
    expect(ready.report?.chosen.gflops).toBeGreaterThan(0);
    const tensorflow = ready.report?.probes.find((p) => p.backend === 'tensorflow');
    expect(tensorflow?.usable).toBe(false);
    expect(tensorflow?.reason).toMatch(/native TensorFlow not installed/);
    expect(ready.pid).toBeGreaterThan(0);
    firstPid = ready.pid ?? 0;
    const ping = await supervisor.client()?.call('ping', {});
    expect(ping?.ok && ping.value.pid).toBe(firstPid);
  });

  it('reports a SIGKILL as a crash, restarts and is ready again', async () => {
    const statuses = recordStatuses(supervisor);
    killChild(firstPid);
    const ready = await waitForStatus(supervisor, (s) => s.state === 'ready' && s.restarts === 1, 30_000);
    statuses.stop();
    const crashed = statuses.seen.find((s) => s.state === 'crashed');
    expect(crashed?.message).toMatch(/^The trainer process stopped unexpectedly \(signal SIGKILL\)\. Restarting it \(attempt 1 of 5\)…$/);
    expect(statuses.seen.map((s) => s.state)).toEqual(['crashed', 'restarting', 'starting', 'probing', 'ready']);
    expect(ready.pid).not.toBe(firstPid);
    expect(['wasm', 'cpu']).toContain(ready.report?.chosen.backend);
  });

  it('setPreference("cpu") re-probes only the cpu', async () => {
    const before = supervisor.status().pid;
    const ready = await supervisor.setPreference('cpu');
    expect(ready).toMatchObject({ state: 'ready', preference: 'cpu', restarts: 1 });
    expect(ready.report?.probes.map((p) => p.backend)).toEqual(['cpu']);
    expect(ready.pid).not.toBe(before);
  });

  it('dispose leaves no trainer process behind', async () => {
    const pid = supervisor.status().pid ?? 0;
    expect(isAlive(pid)).toBe(true);
    await supervisor.dispose();
    expect(supervisor.status().state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  });
});

describe('the trainer entry on other channels', () => {
  it('exits by itself when the parent closes the IPC channel', async () => {
    const child = createForkSpawner(trainerPath, { output: (line) => trainerLog.push(line) })({ env: {} });
    const client = createRpcClient(trainerContract, child.transport);
    expect((await client.call('ping', {})).ok).toBe(true);
    const exited = new Promise((resolve) => child.onExit(resolve));
    client.close(); // closes the transport: the parent side of the channel goes away
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('answers over a worker_threads channel', async () => {
    const worker = new Worker(trainerPath, { stdout: true, stderr: true });
    const closeListeners = new Set<(reason: string) => void>();
    worker.on('exit', () => closeListeners.forEach((l) => l('worker exited')));
    const transport: Transport = {
      send: (message) => worker.postMessage(message),
      onMessage: (listener) => (worker.on('message', listener), () => worker.off('message', listener)),
      onClose: (listener) => (closeListeners.add(listener), () => closeListeners.delete(listener)),
      close: () => void worker.terminate(),
    };
    const client = createRpcClient(trainerContract, transport);
    const ping = await client.call('ping', {});
    expect(ping.ok && ping.value.pid).toBe(process.pid);
    client.close();
  });
});

const icd = findSwiftShaderIcd();
if (icd === null) console.warn('Skipping the forced webgpu-swiftshader test: no SwiftShader Vulkan ICD on this machine (set MACL_SWIFTSHADER_ICD or install chromium).');

describe('forced webgpu-swiftshader', () => {
  it.skipIf(icd === null)(`runs the probe on SwiftShader (${icd ?? 'skipped: no SwiftShader ICD found'})`, async () => {
    const swift = newSupervisor('webgpu-swiftshader');
    try {
      const ready = await swift.start();
      expect(ready.state, `${ready.message ?? ''}\n${trainerLog.join('\n')}`).toBe('ready');
      expect(ready.report?.chosen).toMatchObject({ backend: 'webgpu-swiftshader', usable: true });
      expect(ready.report?.chosen.device).toMatch(/swiftshader/i);
      expect(ready.report?.chosen.gflops).toBeGreaterThan(0);
    } finally {
      await swift.dispose();
    }
  });
});
