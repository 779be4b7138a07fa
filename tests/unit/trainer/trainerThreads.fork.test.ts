/**
 * The real trainer process (bundled as scripts/build.mjs bundles it, with the
 * WASM pthread worker beside it) on the WebAssembly backend with two
 * threads: the probe runs threaded and says so, a restart leaves no process
 * behind, and the trainer still exits by itself when its parent goes away
 * (XNNPACK's pool threads live as long as the backend).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkSpawner } from '../../../src-main/services/forkTrainer';
import { createTrainerSupervisor } from '../../../src-main/services/trainerSupervisor';
import { createRpcClient } from '../../../src-main/shared/rpc/client';
import { trainerContract } from '../../../src-main/shared/contract/trainer/protocol';
import { bundleTrainer } from '../../support/bundleTrainer';
import { isAlive } from '../../support/killProcess';

let outDir = '';
let trainerPath = '';
const trainerLog: string[] = [];

beforeAll(async () => {
  ({ dir: outDir, trainerPath } = await bundleTrainer('test-trainer-threads'));
});

afterAll(() => {
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

describe('trainer process on two WebAssembly threads', () => {
  it('probes the threaded backend, restarts cleanly and leaves nothing behind', async () => {
    const supervisor = createTrainerSupervisor({
      spawn: createForkSpawner(trainerPath, { output: (line, _stream, pid) => trainerLog.push(`[${pid}] ${line}`) }),
      preference: 'wasm',
    });
    try {
      const ready = await supervisor.setPreference('wasm', 2);
      expect(ready.state, trainerLog.join('\n')).toBe('ready');
      expect(ready.wasmThreads).toBe(2);
      expect(ready.report?.chosen.device).toMatch(/WebAssembly SIMD, 2 threads\)/);
      const first = ready.pid ?? 0;
      const again = await supervisor.restart();
      expect(again.state, trainerLog.join('\n')).toBe('ready');
      expect(again.report?.chosen.device).toMatch(/2 threads/);
      expect(again.pid).not.toBe(first);
      expect(isAlive(first)).toBe(false);
      const last = again.pid ?? 0;
      await supervisor.dispose();
      expect(isAlive(last)).toBe(false);
    } finally {
      await supervisor.dispose();
    }
  }, 120_000);

  it('exits by itself when the parent closes the channel after a threaded probe', async () => {
    const child = createForkSpawner(trainerPath, { output: (line) => trainerLog.push(line) })({ env: { MACL_WASM_THREADS: '2' } });
    const client = createRpcClient(trainerContract, child.transport);
    const probe = await client.call('probe', { preference: 'wasm' });
    expect(probe.ok && probe.value.chosen.device, trainerLog.join('\n')).toMatch(/2 threads/);
    const exited = new Promise((resolve) => child.onExit(resolve));
    client.close();
    expect(await exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
