/**
 * The fine-tuning and inference jobs on a tiny phantom (32x32 slices, width
 * 4, a few steps, CPU backend): models in the registry with their record,
 * warm continuation, init from a pre-trained model, a non-finite loss and an
 * out-of-memory stopping the run clearly, cancellation, and a label map
 * written on the image's grid.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/shared/cancellation';
import { readNifti, niftiVoxels } from '../../../../src-main/nifti/niftiVolume';
import type { Finetuner } from '../../../../src-main/ml/finetuner';
import { createMaclModel } from '../../../../src-main/ml/maclModel';
import { decodeParams, exportParams, maclSpecJson } from '../../../../src-main/ml/serialize';
import { recalibrateBatchNorm, recalibrateByDefault } from '../../../../src-main/ml/bnRecalibration';
import { createUNet } from '../../../../src-main/ml/unet';
import { loadImageInput } from '../../../../src-main/trainer/jobs/imageInput';
import { modelVolumeOf } from '../../../../src-main/trainer/jobs/resizeVolume';
import { runFinetuneJob } from '../../../../src-main/trainer/jobs/finetuneJob';
import { runInferJob } from '../../../../src-main/trainer/jobs/inferJob';
import type { JobContext } from '../../../../src-main/trainer/jobs/jobContext';
import type { FinetuneEvent, FinetuneParams, InferEvent } from '../../../../src-main/shared/contract/trainer/jobSchemas';
import { openModelRegistry } from '../../../../src-main/workspace/modelRegistry';
import { useCpu } from '../../ml/helpers';
import { axialGeometry, tempFolder, writeNiftiLabelsFile, writePhantomFiles, type PhantomFiles } from './jobFixtures';

const temp = tempFolder('finetune-job');
const workspaceDir = path.join(temp.dir, 'ws');
let files: PhantomFiles;

beforeAll(async () => {
  await useCpu();
  files = writePhantomFiles(temp.dir);
});
afterAll(() => temp.cleanup());

function context<E>(events: E[] = [], extra: Partial<JobContext<E>> = {}): JobContext<E> {
  return { emit: (e) => events.push(e), backend: { kind: 'cpu', device: 'test CPU' }, ...extra };
}

const tiny = (overrides: Partial<FinetuneParams> = {}): FinetuneParams => ({
  workspaceDir,
  image: { path: files.image },
  labels: files.labels,
  out: 'phantom',
  steps: 3,
  size: 32,
  batch: 2,
  width: 4,
  ...overrides,
});

function strokeCounts(strokes: Int32Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of strokes) if (v >= 0) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}

describe('fine-tuning job', () => {
  it('trains on the labelled voxels and saves a fine-tuned model with its record, leaking no tensors', async () => {
    const before = tf.memory().numTensors;
    const events: FinetuneEvent[] = [];
    const record = await runFinetuneJob(tiny(), context(events));
    expect(tf.memory().numTensors).toBe(before);
    expect(record).toMatchObject({
      name: 'phantom', kind: 'finetuned', parentId: null, steps: 3, totalSteps: 3, backend: 'cpu', device: 'test CPU', optimizerState: true,
      spec: { inChannels: 1, width: 4, classes: 3, size: 32 },
    });
    expect(record.data.labelsPath).toBe(files.labels);
    expect(record.data.series[0]).toMatchObject({ path: files.image, slices: 8, labelledVoxels: strokeCounts(files.strokes) });
    expect(record.settings.labelledSlices).toBe(3);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => e.step)).toEqual([1, 2, 3]);
    for (const e of progress) {
      expect(Number.isFinite(e.losses.loss)).toBe(true);
      expect(e.slicesPerSecond).toBeGreaterThan(0);
    }
    expect(events.at(-1)).toMatchObject({ type: 'done', model: { id: record.id } });
    const loaded = await (await openModelRegistry(workspaceDir)).load('phantom');
    expect(loaded.artifact.spec).toEqual({ kind: 'unet', version: 1, inChannels: 1, width: 4, classes: 3 });
  });

  it('saves batch-norm statistics recalibrated on the whole scan: recalibrating the saved model again changes nothing', async () => {
    expect(recalibrateByDefault).toBe(true);
    await runFinetuneJob(tiny({ out: 'calibrated' }), context<FinetuneEvent>([]));
    const saved = decodeParams((await (await openModelRegistry(workspaceDir)).load('calibrated')).artifact);
    const unet = createUNet({ classes: 3, width: 4 });
    for (const [name, value] of saved) if (unet.params.has(name)) unet.params.get(name).assign(value); // the rest: Adam moments
    const savedMean = Array.from(await unet.params.get('dec4.bn2.mean').data());
    const volume = modelVolumeOf((await loadImageInput({ path: files.image }, workspaceDir)).volume);
    await recalibrateBatchNorm(unet, volume, { size: 32 });
    const again = Array.from(await unet.params.get('dec4.bn2.mean').data());
    again.forEach((v, c) => expect(v).toBeCloseTo(savedMean[c] ?? NaN, 5));
    tf.dispose([...saved.values()]);
    unet.dispose();
  });

  it('fine-tunes with SimCVD on the image\'s unlabelled slices, records the method, leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const record = await runFinetuneJob(tiny({ out: 'simcvd-run', steps: 2, method: 'simcvd' }), context());
    expect(tf.memory().numTensors).toBe(before);
    expect(record).toMatchObject({ name: 'simcvd-run', steps: 2, settings: { method: 'simcvd', labelledSlices: 3 } });
    expect(Number.isFinite(record.losses.loss)).toBe(true);
    // What is saved is the student U-Net alone: the same artifact as a supervised run.
    const loaded = await (await openModelRegistry(workspaceDir)).load('simcvd-run');
    expect(loaded.artifact.spec).toEqual({ kind: 'unet', version: 1, inChannels: 1, width: 4, classes: 3 });
    await expect(runFinetuneJob(tiny({ out: 'bad', method: 'mean-teacher' as 'simcvd' }), context())).rejects.toThrow(/method/);
  }, 300_000);

  it('continues a fine-tuned model warm (steps add up, parent recorded) and starts from a pre-trained one', async () => {
    const registry = await openModelRegistry(workspaceDir);
    const first = await registry.find('phantom');
    const warm = await runFinetuneJob(tiny({ init: 'phantom', steps: 2, out: 'phantom' }), context());
    expect(warm).toMatchObject({ parentId: first.id, steps: 5, totalSteps: 5, version: 2 });

    const macl = createMaclModel({ width: 4, seed: 2 });
    const artifact = await exportParams(macl.params, maclSpecJson(macl));
    macl.dispose();
    const pre = await registry.save(artifact, {
      name: 'pre', kind: 'pretrained', parentId: null, spec: { inChannels: 1, width: 4, classes: null, size: 64 }, steps: 1, totalSteps: 1, losses: {},
      backend: 'cpu', device: 'test', data: { archiveRoot: '/a', labelsPath: null, series: [], seriesCount: 0 }, optimizerState: false, settings: {},
    });
    const events: FinetuneEvent[] = [];
    const fromPre = await runFinetuneJob(tiny({ init: 'pre', out: 'from-pre', steps: 1, width: 8 }), context(events));
    expect(fromPre).toMatchObject({ parentId: pre.id, steps: 1, spec: { width: 4, classes: 3 } });
    expect(events).toContainEqual({ type: 'note', message: '"pre" was trained at size 64; fine-tuning at 32.' });
    await expect(runFinetuneJob(tiny({ init: 'phantom', classes: 5 }), context())).rejects.toThrow(/is a fine-tuned U-Net with 3 classes; it cannot continue with 5/);
    await expect(runFinetuneJob(tiny({ out: 'pre' }), context())).rejects.toThrow(/"pre" is the name of a pre-trained model/);
  });

  it('stops on a non-finite loss naming the step, keeping the last good checkpoint', async () => {
    let calls = 0;
    const poison = (trainer: Finetuner): Finetuner => ({
      ...trainer,
      get step() {
        return trainer.step;
      },
      async steps(n, onStep) {
        calls += 1;
        if (calls === 3) {
          // A corrupt input: NaN intensities reach the loss through the real network.
          const images = tf.fill([2, 32, 32, 1], NaN) as tf.Tensor4D;
          const labels = tf.zeros([2, 32, 32], 'int32') as tf.Tensor3D;
          await trainer.setData({ images, labels });
          tf.dispose([images, labels]);
        }
        return trainer.steps(n, onStep);
      },
    });
    const before = tf.memory().numTensors;
    const events: FinetuneEvent[] = [];
    const error = await runFinetuneJob(tiny({ out: 'nan-run', steps: 4, checkpointEvery: 2 }), context(events, { wrapFinetuner: poison })).catch((e: unknown) => e);
    expect(tf.memory().numTensors).toBe(before);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('NonFiniteLossError');
    expect((error as Error).message).toMatch(/^Fine-tuning: the loss at step 2 is not finite \(loss=NaN\); the update was not applied\..*The last good checkpoint is kept: "nan-run" version 1 \(\S+, after 2 steps\)\.$/);
    const checkpoint = events.find((e) => e.type === 'checkpoint');
    expect(checkpoint).toMatchObject({ step: 2, model: { name: 'nan-run', steps: 2, totalSteps: 4 } });
    const kept = await (await openModelRegistry(workspaceDir)).load('nan-run');
    expect(kept.record.steps).toBe(2);
  });

  it('reports an out-of-memory with the suggestion from errors.ts', async () => {
    const oom = (trainer: Finetuner): Finetuner => ({ ...trainer, steps: () => Promise.reject(new RangeError('Array buffer allocation failed')) });
    const error = await runFinetuneJob(tiny({ out: 'oom-run', batch: 4 }), context<FinetuneEvent>([], { wrapFinetuner: oom })).then(() => new Error('expected the run to fail'), (e: unknown) => e as Error);
    expect(error.name).toBe('DeviceOutOfMemoryError');
    expect(error.message).toMatch(/^Fine-tuning ran out of memory on the compute device \(RangeError: Array buffer allocation failed\)\. Try a smaller batch \(2 instead of 4\) or a smaller size .* No checkpoint of this run was saved\.$/);
  });

  it('stops between steps when cancelled and saves nothing', async () => {
    const controller = new AbortController();
    const events: FinetuneEvent[] = [];
    const run = runFinetuneJob(tiny({ out: 'cancelled-run', steps: 50 }), context(events, {
      signal: controller.signal,
      emit: (e) => {
        events.push(e);
        if (e.type === 'progress' && e.step === 2) controller.abort();
      },
    }));
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(2);
    expect(await (await openModelRegistry(workspaceDir)).latest('cancelled-run')).toBeNull();
  });

  it('refuses labels that do not fit, saying why', async () => {
    const shifted = path.join(temp.dir, 'shifted.nii');
    writeNiftiLabelsFile(shifted, files.strokes, axialGeometry(32, 8, 50));
    await expect(runFinetuneJob(tiny({ labels: shifted }), context())).rejects.toThrow(/shifted\.nii does not cover the voxels of the image/);
    const odd = path.join(temp.dir, 'odd.nii');
    writeNiftiLabelsFile(odd, files.strokes.map((v) => (v === 2 ? 300 : v)), files.geometry);
    await expect(runFinetuneJob(tiny({ labels: odd }), context())).rejects.toThrow(/odd\.nii: \d+ voxels hold values that are neither classes 0\.\.254 nor unlabelled \(-1 or 255\), e\.g\. 300/);
    await expect(runFinetuneJob(tiny({ classes: 2 }), context())).rejects.toThrow(/labels go up to 2, but the model has 2 classes/);
    await expect(runFinetuneJob(tiny({ size: 40 }), context())).rejects.toThrow(/size must be a positive multiple of 16, got 40/);
    await expect(runFinetuneJob(tiny({ init: 'missing' }), context())).rejects.toThrow(/No model called "missing"/);
  });
});

describe('inference job', () => {
  it('writes a uint8 label map and probabilities on the image grid', async () => {
    const out = path.join(temp.dir, 'pred.nii.gz');
    const probabilities = path.join(temp.dir, 'prob.nii');
    const events: InferEvent[] = [];
    const before = tf.memory().numTensors;
    const done = await runInferJob({ workspaceDir, model: 'phantom', image: { path: files.image }, out, probabilities, batch: 3 }, context(events));
    expect(tf.memory().numTensors).toBe(before);
    expect(events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && e.slicesDone)).toEqual([3, 6, 8]);
    const labels = await readNifti(out);
    expect(labels.header.datatype).toBe(2);
    expect(labels.grid.geometry.dimensions).toEqual([32, 32, 8]);
    expect(labels.grid.geometry.originMm).toEqual(files.geometry.originMm);
    const values = niftiVoxels(labels);
    expect(Math.max(...values)).toBeLessThan(3);
    const counts: Record<string, number> = {};
    for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
    expect(done.classVoxels).toEqual(counts);
    const prob = niftiVoxels(await readNifti(probabilities));
    expect(prob.length).toBe(32 * 32 * 8);
    // The winning class of K = 3 has probability in [1/3, 1].
    expect(Math.min(...prob)).toBeGreaterThanOrEqual(1 / 3 - 1e-6);
    expect(Math.max(...prob)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('stops between batches when cancelled, writing nothing', async () => {
    const controller = new AbortController();
    const out = path.join(temp.dir, 'never.nii');
    const events: InferEvent[] = [];
    const run = runInferJob({ workspaceDir, model: 'phantom', image: { path: files.image }, out, batch: 2 }, context(events, {
      signal: controller.signal,
      emit: (e) => {
        events.push(e);
        if (e.type === 'progress') controller.abort();
      },
    }));
    await expect(run).rejects.toThrow(/Inference with "phantom" at slice 2 was cancelled/);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a pre-trained model and a bad output name', async () => {
    await expect(runInferJob({ workspaceDir, model: 'pre', image: { path: files.image }, out: path.join(temp.dir, 'x.nii') }, context())).rejects.toThrow(/"pre" is a pre-trained model .* needs a fine-tuned one/);
    await expect(runInferJob({ workspaceDir, model: 'phantom', image: { path: files.image }, out: path.join(temp.dir, 'x.png') }, context())).rejects.toThrow(/must end in \.nii or \.nii\.gz/);
  });
});
