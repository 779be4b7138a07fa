/**
 * Session settings too large for the WASM backend's 4 GiB heap are refused
 * when the session starts, with a message naming the settings and what to
 * lower, instead of aborting the trainer mid-burst. The WASM defaults and the
 * settings the tests and benchmarks use fit; other backends are not limited
 * here (they report their own out-of-memory errors).
 */
import { describe, expect, it } from 'vitest';
import type { BackendProbe, TrainerStatus } from '../../../src-main/shared/contract/compute';
import { cpuSessionSettings, gpuSessionSettings } from '../../../src-main/session/sessionDefaults';
import { SessionError } from '../../../src-main/session/sessionError';
import { createSessionService } from '../../../src-main/session/sessionService';
import type { SessionTrainer } from '../../../src-main/session/seriesSession';
import { finetuneStepBytes, settingsMemoryProblem } from '../../../src-main/session/settingsMemory';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const wasmProbe: BackendProbe = { backend: 'wasm', usable: true, device: 'CPU (WebAssembly SIMD, 1 thread)', gflops: 3, stepMs: 30, reason: null };

function trainerOn(chosen: BackendProbe): SessionTrainer {
  const status: TrainerStatus = { state: 'ready', preference: 'auto', report: { preference: 'auto', chosen, probes: [chosen], workload: 'test' }, pid: 1, restarts: 0, message: null, since: 0 };
  return { client: () => null, status: () => status, onStatus: () => () => undefined };
}

describe('session settings against the WASM memory', () => {
  it('lets the WASM defaults and the loop test settings through', () => {
    expect(settingsMemoryProblem('wasm', cpuSessionSettings)).toBeNull();
    expect(settingsMemoryProblem('wasm', { ...cpuSessionSettings, size: 128, batch: 4, width: 16 })).toBeNull();
    expect(finetuneStepBytes(cpuSessionSettings)).toBeLessThan(2 ** 28);
  });

  it('refuses the GPU recipe on WASM, naming the settings and what to lower', () => {
    const problem = settingsMemoryProblem('wasm', gpuSessionSettings);
    expect(problem).toMatch(/size 256, batch 8, width 32\) need about 14\.1 GiB .* WASM backend's 4\.0 GiB .* Lower the size, batch or width/);
  });

  it('does not limit other backends', () => {
    expect(settingsMemoryProblem('webgpu', { ...gpuSessionSettings, batch: 64 })).toBeNull();
    expect(settingsMemoryProblem('cpu', gpuSessionSettings)).toBeNull();
    expect(settingsMemoryProblem(null, gpuSessionSettings)).toBeNull();
  });

  it('session.start refuses such settings with a bad-request error before anything is loaded', async () => {
    const temp = tempFolder('settings-memory');
    const labels = { load: () => Promise.reject(new Error('not reached')), onApplied: () => () => undefined };
    const sessions = createSessionService({ trainer: trainerOn(wasmProbe), labels, workspaceDir: temp.dir });
    try {
      const refused = sessions.start({ seriesId: 'series-1', init: 'none', settings: { size: 512, batch: 8, width: 32 } });
      await expect(refused).rejects.toBeInstanceOf(SessionError);
      await expect(refused).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/size 512, batch 8, width 32/) as unknown });
    } finally {
      await sessions.shutdown();
      temp.cleanup();
    }
  });
});
