import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteLossError } from '../../../src-main/ml/errors';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { createPretrainer, makeMaclViews, type PretrainStepResult } from '../../../src-main/ml/pretrainer';
import { createRng } from '../../../src-main/ml/random';
import { createSliceSampler } from '../../../src-main/ml/sliceSampler';
import { trainingContext } from '../../../src-main/ml/batchNorm';
import { makePhantom } from './phantom';
import { useCpu } from './helpers';

beforeAll(useCpu);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('MACL pre-training', () => {
  it('builds the 4 views: identity non-spatial aug, x0.25 dominant views', async () => {
    const images = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const views = makeMaclViews(images, createRng(1));
    expect(Array.from(await views.aux.data())).toEqual(Array.from(await images.data()));
    expect(views.auxVaried.shape).toEqual([2, 64, 64, 1]);
    expect(views.dom.shape).toEqual([2, 16, 16, 1]);
    expect(views.domVaried.shape).toEqual([2, 16, 16, 1]);
    // align_corners x0.25 of 64 -> 16 samples input pixels 0, 4.2, ...; the corners are exact.
    const [a, d] = [await images.data(), await views.dom.data()];
    expect(d[0]).toBeCloseTo(a[0]!, 6);
    expect(d[255]).toBeCloseTo(a[64 * 64 - 1]!, 6);
    tf.dispose([images, views.aux, views.auxVaried, views.dom, views.domVaried]);
  });

  it('decreases the loss on a small synthetic set, with a flat tensor count (fixed seeds)', async () => {
    const volumes = [1, 2, 3].map((seed) => makePhantom(64, 12, seed).volume);
    const sampler = createSliceSampler(volumes, { size: 64, seed: 4 });
    const model = createMaclModel({ width: 2, seed: 1 });
    const steps = 16;
    const trainer = createPretrainer(model, { totalSteps: steps, seed: 2 });
    const results: PretrainStepResult[] = [];
    let tensorsAfterWarmup = 0;
    for (let i = 0; i < steps; i += 1) {
      const batch = sampler.sample(4);
      results.push(await trainer.trainStep(batch));
      batch.images.dispose();
      if (i === 0) tensorsAfterWarmup = tf.memory().numTensors; // the momentum buffers exist from step 0 on
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterWarmup);
    expect(trainer.step).toBe(steps);
    for (const r of results) for (const v of [r.total, r.global, r.dense, r.er]) expect(Number.isFinite(v)).toBe(true);
    expect(results[0]?.lr).toBeCloseTo(0.01, 10);
    expect(results[8]?.lr).toBeCloseTo(0.005, 10);
    // total = L_g + 0.5 L_d + L_ER
    for (const r of results) expect(r.total).toBeCloseTo(r.global + 0.5 * r.dense + r.er, 3);
    const early = mean(results.slice(1, 6).map((r) => r.total));
    const late = mean(results.slice(-5).map((r) => r.total));
    expect(late).toBeLessThan(0.75 * early);
    expect(late).toBeLessThan(results[0]!.total);
    console.log(`pre-training (64x64, batch 4, width 2): total ${results[0]!.total.toFixed(2)} -> ${late.toFixed(2)}, ${mean(results.map((r) => r.ms)).toFixed(0)} ms/step`);
    trainer.dispose();
    model.dispose();
  });

  it('refuses a non-finite loss without touching the model, then resumes from its state', async () => {
    const model = createMaclModel({ width: 2, seed: 3 });
    const trainer = createPretrainer(model, { totalSteps: 10, seed: 1 });
    const images = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const batch = { images, positions: [0.2, 0.7] };
    await trainer.trainStep(batch);
    const w = model.params.get('enc2.conv1.w');
    const good = tf.clone(w);
    const stats = Array.from(await model.params.get('enc1.bn1.mean').data());
    const head = model.params.get('domIns.fc2.w');
    const headGood = tf.clone(head);
    const poisoned = tf.fill(head.shape, NaN);
    head.assign(poisoned);
    poisoned.dispose();
    const before = tf.memory().numTensors;
    await expect(trainer.trainStep(batch)).rejects.toBeInstanceOf(NonFiniteLossError);
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.step).toBe(1);
    expect(Array.from(await w.data())).toEqual(Array.from(await good.data()));
    expect(Array.from(await model.params.get('enc1.bn1.mean').data())).toEqual(stats);
    head.assign(headGood);
    // A new trainer resumes from the checkpointed step and momentum.
    const resumed = createPretrainer(model, { totalSteps: 10, seed: 1 });
    resumed.restoreState(trainer.checkpointState());
    expect(resumed.step).toBe(1);
    const next = await resumed.trainStep(batch);
    expect(next.step).toBe(1);
    expect(Number.isFinite(next.total)).toBe(true);
    tf.dispose([images, good, headGood]);
    [trainer, resumed, model].forEach((x) => x.dispose());
  });

  it('batch-normed projectors keep the slices\' image-level embeddings apart from the first step', () => {
    // Without them a small encoder's pooled features share one large positive direction, every
    // slice's projection points the same way and L_g sits at its uniform value, where the gradient
    // vanishes (docs/ml-notes.md; bench/pretrainProbe.ts shows L_g leaving it on real T1s).
    const volumes = [1, 2, 3].map((seed) => makePhantom(64, 16, seed).volume);
    const batch = createSliceSampler(volumes, { size: 64, seed: 5 }).sample(8);
    const views = makeMaclViews(batch.images, createRng(3));
    const meanOffDiagonalCosine = (projectorNorm: boolean): number => {
      const model = createMaclModel({ width: 4, seed: 1, projectorNorm });
      const value = tf.tidy(() => {
        const z = model.forward(views, trainingContext()).auxInstance;
        const unit = tf.div(z, tf.norm(z, 2, 1, true));
        const sim = tf.matMul(unit, unit, false, true);
        return (tf.sum(sim).dataSync()[0]! - 8) / (8 * 7);
      });
      model.dispose();
      return value;
    };
    const plain = meanOffDiagonalCosine(false);
    const normed = meanOffDiagonalCosine(true);
    console.log(`mean cosine between slices' auxiliary projections (width 4): ${plain.toFixed(3)} plain, ${normed.toFixed(3)} with batch norm`);
    expect(plain).toBeGreaterThan(0.9);
    expect(normed).toBeLessThan(0.6);
    tf.dispose([batch.images, views.aux, views.auxVaried, views.dom, views.domVaried]);
  });

  it('trains with Adam when asked (lr 1e-3 by default) and checkpoints its moments', async () => {
    const model = createMaclModel({ width: 2, seed: 4 });
    const trainer = createPretrainer(model, { totalSteps: 4, optimizer: 'adam', seed: 1 });
    const images = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = Array.from(await model.params.get('enc1.conv1.w').data());
    const result = await trainer.trainStep({ images, positions: [0.2, 0.8] });
    expect(result.lr).toBeCloseTo(1e-3, 10);
    expect(Array.from(await model.params.get('enc1.conv1.w').data())).not.toEqual(before);
    const keys = [...trainer.checkpointState().optimizer.keys()];
    expect(keys).toContain('enc1.conv1.w.m');
    expect(keys).toContain('enc1.conv1.w.v');
    images.dispose();
    trainer.dispose();
    model.dispose();
  });

  it('checks its arguments', async () => {
    const model = createMaclModel({ width: 2 });
    expect(() => createPretrainer(model, { totalSteps: 0 })).toThrow(/totalSteps must be a positive integer/);
    const trainer = createPretrainer(model, { totalSteps: 5 });
    const images = tf.zeros([2, 96, 96, 1]) as tf.Tensor4D;
    await expect(trainer.trainStep({ images, positions: [0.1, 0.2] })).rejects.toThrow(/multiples of 64/);
    const ok = tf.zeros([2, 64, 64, 1]) as tf.Tensor4D;
    await expect(trainer.trainStep({ images: ok, positions: [0.1] })).rejects.toThrow(/2 images but 1 positions/);
    tf.dispose([images, ok]);
    trainer.dispose();
    model.dispose();
  });
});
