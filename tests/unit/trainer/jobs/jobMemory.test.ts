/**
 * On the WASM backend (a 4 GiB heap that aborts the whole trainer when
 * exceeded) a pre-training or fine-tuning job whose step cannot fit fails at
 * once with a message naming the settings and what to lower, before reading
 * any data, instead of crashing the trainer (and, for a resumed pre-training,
 * crashing it again after every restart). The estimate itself is checked in
 * tests/unit/session/settingsMemory.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepMemoryProblem, trainingStepBytes } from '../../../../src-main/shared/contract/stepMemory';
import { activateBackend } from '../../../../src-main/trainer/backends/loadBackend';
import type { JobContext } from '../../../../src-main/trainer/jobs/jobContext';
import { runFinetuneJob } from '../../../../src-main/trainer/jobs/finetuneJob';
import { runPretrainJob } from '../../../../src-main/trainer/jobs/pretrainJob';
import { tempFolder } from './jobFixtures';

const temp = tempFolder('job-memory');
const workspaceDir = path.join(temp.dir, 'ws');
const context = <E>(events: E[]): JobContext<E> => ({ emit: (e) => events.push(e), backend: { kind: 'wasm', device: 'test' } });

beforeAll(async () => {
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(`the wasm backend did not load: ${load.reason}`);
});
afterAll(async () => {
  await tf.setBackend('cpu');
  temp.cleanup();
});

describe('training jobs on WASM refuse steps that cannot fit its heap', () => {
  it('a pre-training with the GPU set (256 px, batch 16, width 32) fails with the settings and what to lower', async () => {
    const events: unknown[] = [];
    // The archive does not exist: the refusal comes before it is read.
    await expect(runPretrainJob({ workspaceDir, archive: path.join(temp.dir, 'no-archive'), out: 'pre', steps: 10, size: 256, batch: 16, width: 32 }, context(events))).rejects.toThrow(
      /Pre-training with these settings \(size 256, batch 16, width 32\) need about 28\.1 GiB .* WASM backend's 4\.0 GiB .* Lower the size, batch or width/,
    );
    expect(events).toEqual([]);
  });

  it('a pre-training given no sizes takes the WASM set (64 px, batch 8, width 16), says so, and goes on to read the archive', async () => {
    const events: Array<{ type: string; message?: string }> = [];
    await expect(runPretrainJob({ workspaceDir, archive: path.join(temp.dir, 'no-archive'), out: 'pre2', steps: 10 }, context(events))).rejects.toThrow(/no-archive/);
    expect(events[0]).toMatchObject({ type: 'note', message: expect.stringMatching(/On the wasm backend \(no GPU\) pre-training defaults to size 64, batch 8, width 16/) });
  });

  it('a fine-tuning at 512 px, batch 8 fails the same way; small settings pass the check', async () => {
    await expect(
      runFinetuneJob({ workspaceDir, image: { path: path.join(temp.dir, 'no-image.nii') }, out: 'ft', steps: 1, size: 512, batch: 8, width: 32, init: 'none' }, context<unknown>([])),
    ).rejects.toThrow(/Fine-tuning with these settings \(size 512, batch 8, width 32\)/);
    expect(stepMemoryProblem('wasm', { size: 64, batch: 4, width: 16 }, 'x')).toBeNull();
    expect(stepMemoryProblem('webgpu', { size: 512, batch: 8, width: 32 }, 'x')).toBeNull();
    expect(trainingStepBytes({ size: 128, batch: 4, width: 32 })).toBeGreaterThan(1709 * 2 ** 20); // the measured WASM peak
  });
});
