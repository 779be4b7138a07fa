/**
 * The pre-training job on a tiny synthetic DICOM archive (3 series of 12
 * slices of 64x64, width 2, batch 4, CPU backend): checkpoints into the
 * registry, resuming after a cancel with the optimiser state, a non-finite
 * loss stopping the run with the last good checkpoint kept.
 */
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/shared/cancellation';
import type { Pretrainer } from '../../../../src-main/ml/pretrainer';
import type { JobContext } from '../../../../src-main/trainer/jobs/jobContext';
import type { PretrainEvent, PretrainParams } from '../../../../src-main/shared/contract/trainer/jobSchemas';
import { runPretrainJob } from '../../../../src-main/trainer/jobs/pretrainJob';
import { openModelRegistry } from '../../../../src-main/workspace/modelRegistry';
import { useCpu } from '../../ml/helpers';
import { tempFolder, writePhantomArchive } from './jobFixtures';

const temp = tempFolder('pretrain-job');
const archive = path.join(temp.dir, 'archive');
const workspaceDir = path.join(temp.dir, 'ws');

beforeAll(async () => {
  await useCpu();
  writePhantomArchive(archive);
});
afterAll(() => temp.cleanup());

const tiny = (overrides: Partial<PretrainParams> = {}): PretrainParams => ({
  workspaceDir, archive, out: 'pre', steps: 4, size: 64, batch: 4, width: 2, checkpointEvery: 2, poolVolumes: 2, rotateEvery: 2, ...overrides,
});

function context(events: PretrainEvent[] = [], extra: Partial<JobContext<PretrainEvent>> = {}): JobContext<PretrainEvent> {
  return { emit: (e) => events.push(e), backend: { kind: 'cpu', device: 'test CPU' }, ...extra };
}

describe('pre-training job', () => {
  it('pre-trains from the archive with checkpoints, keeps only the final model, leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const events: PretrainEvent[] = [];
    const record = await runPretrainJob(tiny(), context(events));
    expect(tf.memory().numTensors).toBe(before);
    expect(record).toMatchObject({
      name: 'pre', kind: 'pretrained', parentId: null, steps: 4, totalSteps: 4, optimizerState: true, backend: 'cpu',
      spec: { inChannels: 1, width: 2, classes: null, size: 64 },
      data: { archiveRoot: archive, labelsPath: null },
    });
    // Pool of 2 volumes, rotated every 2 steps: all 3 series were used.
    expect(record.data.seriesCount).toBe(3);
    expect(record.data.series.map((s) => s.slices)).toEqual([12, 12, 12]);
    for (const part of ['total', 'global', 'dense', 'er']) expect(Number.isFinite(record.losses[part])).toBe(true);
    expect(events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.step)).toEqual([1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.type === 'checkpoint' && e.step)).toEqual([2]);
    expect(events.some((e) => e.type === 'loading' && /scanning the archive/.test(e.message))).toBe(true);
    const progress = events.find((e) => e.type === 'progress');
    expect(progress).toMatchObject({ totalSteps: 4, losses: { total: expect.any(Number), global: expect.any(Number), dense: expect.any(Number), er: expect.any(Number) } });
    const listed = await (await openModelRegistry(workspaceDir)).list();
    expect(listed.map((r) => [r.name, r.steps])).toEqual([['pre', 4]]);
  });

  it('saves a checkpoint when cancelled and resumes from it with the optimiser state', async () => {
    const controller = new AbortController();
    const first: PretrainEvent[] = [];
    const cancelled = runPretrainJob(tiny({ out: 'resumable', steps: 6, checkpointEvery: 0 }), context(first, {
      signal: controller.signal,
      emit: (e) => {
        first.push(e);
        if (e.type === 'progress' && e.step === 3) controller.abort();
      },
    }));
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(first.at(-1)).toMatchObject({ type: 'checkpoint', step: 3, model: { steps: 3, totalSteps: 6, optimizerState: true } });

    const second: PretrainEvent[] = [];
    const record = await runPretrainJob({ workspaceDir, archive, out: 'resumable', steps: 6, batch: 4, checkpointEvery: 0, poolVolumes: 2 }, context(second));
    expect(second).toContainEqual({ type: 'note', message: 'Resuming "resumable" from version 1 at step 3 of 6 (with its optimiser state).' });
    expect(second.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.step)).toEqual([4, 5, 6]);
    // Width and size came from the checkpoint.
    expect(record).toMatchObject({ steps: 6, version: 2, spec: { width: 2, size: 64 } });
    const again: PretrainEvent[] = [];
    expect((await runPretrainJob({ workspaceDir, archive, out: 'resumable', steps: 6 }, context(again))).id).toBe(record.id);
    expect(again[0]).toMatchObject({ type: 'note', message: expect.stringMatching(/already has 6 steps/) });
    await expect(runPretrainJob({ workspaceDir, archive, out: 'resumable', steps: 8, width: 4 }, context())).rejects.toThrow(/was pre-trained with width 2 and size 64; resuming it with width 4/);
  });

  it('stops on a non-finite loss, naming the step and the checkpoint kept', async () => {
    const poison = (trainer: Pretrainer): Pretrainer => ({
      ...trainer,
      get step() {
        return trainer.step;
      },
      trainStep: async (batch) => {
        if (trainer.step < 3) return trainer.trainStep(batch);
        const images = tf.tidy(() => batch.images.mul(NaN)) as tf.Tensor4D;
        try {
          return await trainer.trainStep({ images, positions: batch.positions });
        } finally {
          images.dispose();
        }
      },
    });
    const before = tf.memory().numTensors;
    const error = await runPretrainJob(tiny({ out: 'nan', steps: 6 }), context([], { wrapPretrainer: poison })).then(() => new Error('expected the run to fail'), (e: unknown) => e as Error);
    expect(tf.memory().numTensors).toBe(before);
    expect(error.name).toBe('NonFiniteLossError');
    expect(error.message).toMatch(/^MACL pre-training: the loss at step 3 is not finite \(total=NaN, .*\).* The last good checkpoint is kept: "nan" version 1 \(\S+, after 2 steps\)\.$/);
    expect((await (await openModelRegistry(workspaceDir)).load('nan')).record.steps).toBe(2);
  });

  it('refuses what it cannot train on', async () => {
    await expect(runPretrainJob(tiny({ out: 'x', size: 96 }), context())).rejects.toThrow(/size must be a positive multiple of 64, got 96/);
    await expect(runPretrainJob(tiny({ out: 'x', minSlices: 20 }), context())).rejects.toThrow(/has nothing to pre-train on: none of its 3 series is usable \(.*12 slices \(fewer than 20\)/);
    await expect(runPretrainJob(tiny({ out: 'x', archive: path.join(temp.dir, 'nowhere') }), context())).rejects.toThrow(/nowhere/);
  });
});
