import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { finetuneAugmentation, noAugmentation, type AugmentOptions } from '../../../src-main/ml/augment';
import { inferenceContext } from '../../../src-main/ml/batchNorm';
import { maskedCrossEntropy } from '../../../src-main/ml/crossEntropy';
import { NonFiniteLossError } from '../../../src-main/ml/errors';
import { createFinetuner, type FinetuneStepResult } from '../../../src-main/ml/finetuner';
import { segmentVolume } from '../../../src-main/ml/inference';
import { cosineLr } from '../../../src-main/ml/schedule';
import { createUNet } from '../../../src-main/ml/unet';
import { dice, makePhantom, makeStrokes, type Phantom } from './phantom';
import { maxAbs, scalar, useCpu } from './helpers';

beforeAll(useCpu);

/** The labelled slices of a phantom as fine-tuning data. */
function strokeData(phantom: Phantom, slices: number[]): { images: tf.Tensor4D; labels: tf.Tensor3D } {
  const { width: s, data } = phantom.volume;
  const n = s * s;
  const strokes = makeStrokes(phantom, slices);
  const images = new Float32Array(slices.length * n);
  const labels = new Int32Array(slices.length * n);
  slices.forEach((z, i) => {
    images.set(data.subarray(z * n, (z + 1) * n), i * n);
    labels.set(strokes.subarray(z * n, (z + 1) * n), i * n);
  });
  return { images: tf.tensor4d(images, [slices.length, s, s, 1]), labels: tf.tensor3d(labels, [slices.length, s, s], 'int32') };
}

describe('masked cross-entropy', () => {
  it('averages over labelled voxels only; unlabelled voxels get no loss and no gradient', async () => {
    const logits = tf.randomNormal([2, 2, 2, 3], 0, 2, 'float32', 1) as tf.Tensor4D;
    const labelValues = [0, -1, 2, 1, -1, -1, 2, 0];
    const labels = tf.tensor3d(labelValues, [2, 2, 2], 'int32');
    const values = await logits.data();
    let expected = 0;
    labelValues.forEach((label, i) => {
      if (label < 0) return;
      const row = [0, 1, 2].map((k) => values[i * 3 + k]!);
      expected += Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[label]!;
    });
    expected /= 5;
    const { loss, labelled } = maskedCrossEntropy(logits, labels);
    expect(await scalar(loss)).toBeCloseTo(expected, 5);
    expect(await scalar(labelled)).toBe(5);
    const [dLogits] = tf.grads((x: tf.Tensor) => maskedCrossEntropy(x as tf.Tensor4D, labels).loss)([logits]);
    const grad = await dLogits!.data();
    labelValues.forEach((label, i) => {
      const g = [0, 1, 2].map((k) => grad[i * 3 + k]!);
      if (label < 0) expect(g.map(Math.abs)).toEqual([0, 0, 0]);
      else expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0);
    });
    // Changing the logits of unlabelled voxels changes nothing.
    const changed = tf.tidy(() => logits.add(tf.tensor3d(labelValues.map((l) => (l < 0 ? 100 : 0)), [2, 2, 2]).expandDims(3)));
    const again = maskedCrossEntropy(changed as tf.Tensor4D, labels);
    expect(await scalar(again.loss)).toBeCloseTo(expected, 5);
    tf.dispose([logits, labels, loss, labelled, dLogits!, changed, again.loss, again.labelled]);
  });

  it('class-balanced: averages each class over its own voxels, then over the classes present', async () => {
    const logits = tf.randomNormal([1, 2, 3, 3], 0, 2, 'float32', 4) as tf.Tensor4D;
    // Class 0 on 4 voxels, class 2 on 1, class 1 absent, one voxel unlabelled.
    const labelValues = [0, 0, -1, 2, 0, 0];
    const labels = tf.tensor3d(labelValues, [1, 2, 3], 'int32');
    const values = await logits.data();
    const nll = labelValues.map((label, i) => {
      const row = [0, 1, 2].map((k) => values[i * 3 + k]!);
      return label < 0 ? 0 : Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[label]!;
    });
    const meanOf = (c: number): number => {
      const picked = nll.filter((_, i) => labelValues[i] === c);
      return picked.reduce((s, v) => s + v, 0) / picked.length;
    };
    const { loss, labelled } = maskedCrossEntropy(logits, labels, { classBalanced: true });
    expect(await scalar(loss)).toBeCloseTo((meanOf(0) + meanOf(2)) / 2, 5);
    expect(await scalar(labelled)).toBe(5);
    const plain = maskedCrossEntropy(logits, labels);
    expect(await scalar(plain.loss)).toBeCloseTo(nll.reduce((s, v) => s + v, 0) / 5, 5);
    tf.dispose([logits, labels, loss, labelled, plain.loss, plain.labelled]);
  });
});

describe('fine-tuning from sparse strokes', () => {
  it('reaches a clearly better-than-chance Dice on unlabelled slices of a phantom (fixed seeds)', async () => {
    const size = 32;
    const depth = 10;
    const phantom = makePhantom(size, depth, 7);
    const labelledSlices = [1, 5, 8];
    const unlabelled = [0, 2, 3, 4, 6, 7, 9];
    const data = strokeData(phantom, labelledSlices);
    const unet = createUNet({ classes: 3, width: 4, seed: 1 });
    const diceOf = async (): Promise<[number, number]> => {
      const { labels } = await segmentVolume(unet, phantom.volume, { size, batch: 5 });
      return [dice(labels, phantom.truth, 1, size * size, unlabelled), dice(labels, phantom.truth, 2, size * size, unlabelled)];
    };
    const untrained = await diceOf();
    // Test settings: a tiny width-4 net and 40 steps need a larger rate than the f = 32 default (5e-4).
    // CE alone (MACL's recipe): the smoothness term slows such a tiny net's first steps (it has its own tests).
    const steps = 40;
    const tuner = createFinetuner(unet, { totalSteps: steps, batch: 4, lr: 2e-2, seed: 2, smoothness: { weight: 0 } });
    await tuner.setData(data);
    tf.dispose([data.images, data.labels]);
    const results: FinetuneStepResult[] = [];
    const counts: number[] = [];
    await tuner.steps(steps, (r) => {
      results.push(r);
      counts.push(tf.memory().numTensors);
    });
    expect(new Set(counts.slice(1)).size).toBe(1); // flat after the first step (Adam moments)
    const [disc, square] = await diceOf();
    console.log(`fine-tuning (32x32, batch 4, width 4, ${steps} steps, 3 scribbled slices): Dice disc ${untrained[0].toFixed(2)} -> ${disc.toFixed(2)}, square ${untrained[1].toFixed(2)} -> ${square.toFixed(2)}; loss ${results[0]!.loss.toFixed(2)} -> ${results.at(-1)!.loss.toFixed(2)}; ${(results.reduce((s, r) => s + r.ms, 0) / steps).toFixed(0)} ms/step`);
    expect(Math.max(...untrained)).toBeLessThan(0.3);
    expect(disc).toBeGreaterThan(0.75);
    expect(square).toBeGreaterThan(0.45);
    expect(results.at(-1)!.loss).toBeLessThan(0.7 * results[0]!.loss);
    tuner.dispose();
    unet.dispose();
  });

  it('continues warm: new strokes keep the weights, Adam moments and schedule; restartSchedule starts a new cycle', async () => {
    const phantom = makePhantom(32, 6, 3);
    const unet = createUNet({ classes: 3, width: 2, seed: 4 });
    const tuner = createFinetuner(unet, { totalSteps: 10, batch: 2, seed: 1, augment: noAugmentation });
    const first = strokeData(phantom, [1]);
    await tuner.setData(first);
    await tuner.steps(3);
    const w = Array.from(await unet.params.get('enc1.conv1.w').data());
    const second = strokeData(phantom, [2, 4]);
    await tuner.setData(second);
    expect(Array.from(await unet.params.get('enc1.conv1.w').data())).toEqual(w); // setData does not reset anything
    const next = await tuner.steps(2);
    expect(tuner.step).toBe(5);
    expect(next.step).toBe(4);
    expect(next.lr).toBeCloseTo(cosineLr(4, 10, 5e-4, 5e-6), 12);
    const state = tuner.checkpointState();
    expect(state.step).toBe(5);
    expect(state.optimizer.size).toBe(2 * unet.params.trainable().size);
    tuner.restartSchedule(20);
    const restarted = await tuner.steps(1);
    expect(restarted.lr).toBeCloseTo(5e-4, 12);
    expect(restarted.step).toBe(5);
    tf.dispose([first.images, first.labels, second.images, second.labels]);
    tuner.dispose();
    unet.dispose();
  });

  it('warmUp changes nothing: the steps after it are exactly those of a fine-tuner that did not warm up', async () => {
    const phantom = makePhantom(32, 6, 3);
    const data = strokeData(phantom, [1, 3]);
    const run = async (warm: boolean): Promise<number[][]> => {
      const unet = createUNet({ classes: 3, width: 2, seed: 4 });
      const tuner = createFinetuner(unet, { totalSteps: 10, batch: 2, seed: 1 });
      await tuner.setData(data);
      if (warm) await tuner.warmUp(32);
      expect(tuner.step).toBe(0);
      await tuner.steps(2);
      // Weights, batch-norm running statistics and Adam moments.
      const out = await Promise.all([...unet.params.trainable().values(), unet.params.get('enc1.bn1.mean'), ...tuner.checkpointState().optimizer.values()].map(async (t) => Array.from(await t.data())));
      tuner.dispose();
      unet.dispose();
      return out;
    };
    expect(await run(true)).toEqual(await run(false));
    tf.dispose([data.images, data.labels]);
  });

  it('trains on crops of slices at their own size (not multiples of 16), seeing strokes in every step, leaking nothing', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 2 });
    const tuner = createFinetuner(unet, { totalSteps: 4, batch: 2, lr: 1e-2, seed: 3, patch: 16, augment: noAugmentation, smoothness: { weight: 0 } });
    const images = tf.randomUniform([2, 27, 41, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const labelValues = new Int32Array(2 * 27 * 41).fill(-1);
    labelValues[5 * 41 + 3] = 0; // one background pixel near a corner of slice 0
    labelValues[27 * 41 + 20 * 41 + 38] = 2; // one structure pixel near the far corner of slice 1
    const labels = tf.tensor3d(labelValues, [2, 27, 41], 'int32');
    await tuner.setData({ images, labels });
    tf.dispose([images, labels]);
    const results: FinetuneStepResult[] = [await tuner.steps(1)]; // the first step creates Adam's moments
    const before = tf.memory().numTensors;
    await tuner.steps(3, (r) => results.push(r));
    expect(tf.memory().numTensors).toBe(before);
    for (const r of results) {
      expect(r.labelled).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
    expect(() => createFinetuner(unet, { totalSteps: 1, patch: 24 })).toThrow(/multiple of 16/);
    tuner.dispose();
    unet.dispose();
  });

  it("tells a left structure from its right twin with the guarded mirror (the default) and without the mirror, and not with the unguarded mirror, which makes their strokes contradict", async () => {
    // Two identical discs, left (class 1) and right (class 2), on a plain background under a bright band at the top
    // (a forehead: the scene is mirror-symmetric left/right, as anatomy is, but not under a half turn): only the side tells the discs apart.
    const size = 32;
    const count = 2;
    const images = new Float32Array(count * size * size);
    const labels = new Int32Array(count * size * size).fill(-1);
    for (let s = 0; s < count; s += 1) {
      for (let y = 0; y < size; y += 1) {
        for (let x = 0; x < size; x += 1) {
          const i = (s * size + y) * size + x;
          const left = Math.hypot(x - 9, y - 10 - s) <= 4;
          const right = Math.hypot(x - 22, y - 10 - s) <= 4;
          images[i] = left || right ? 0.8 : y < 4 ? 1 : 0.2;
          labels[i] = left ? 1 : right ? 2 : 0;
        }
      }
    }
    const strokeFit = async (augment: AugmentOptions, mirrorGuard?: boolean): Promise<{ right: number; swapped: readonly (readonly number[])[] | null }> => {
      const unet = createUNet({ classes: 3, width: 4, seed: 3 });
      // Batch 4, as the suite trains: with 2, a step whose samples are all turned or mirrored shows the guarded discs no label at all.
      const tuner = createFinetuner(unet, { totalSteps: 40, batch: 4, lr: 2e-2, seed: 5, classBalanced: true, smoothness: { weight: 0 }, augment, ...(mirrorGuard === undefined ? {} : { mirrorGuard }) });
      await tuner.setData({ images: tf.tensor4d(images, [count, size, size, 1]), labels: tf.tensor3d(labels, [count, size, size], 'int32') });
      await tuner.steps(40);
      const swapped = tuner.mirrorGuard?.swapped ?? null;
      const predicted = tf.tidy(() => tf.argMax(unet.logits(tf.tensor4d(images, [count, size, size, 1]), inferenceContext()), -1));
      const p = await predicted.data();
      predicted.dispose();
      tuner.dispose();
      unet.dispose();
      // The worse of the two structures: the share of its pixels predicted right.
      const right = Math.min(...[1, 2].map((c) => {
        const stroked = labels.reduce((n, v) => n + (v === c ? 1 : 0), 0);
        return labels.reduce((n, v, i) => n + (v === c && p[i] === c ? 1 : 0), 0) / stroked;
      }));
      return { right, swapped };
    };
    // The rotation part off in all three: the mirrors alone decide (mirroring rows is a reflection turned half way, both a half turn).
    const guarded = await strokeFit({ probability: 0 });
    const kept = await strokeFit({ ...finetuneAugmentation, probability: 0 });
    const mirrored = await strokeFit({ probability: 0 }, false);
    console.log(`left/right twins, pixels right (the worse of the two): guarded mirror ${guarded.right.toFixed(2)}, without the mirror ${kept.right.toFixed(2)}, unguarded mirror ${mirrored.right.toFixed(2)}`);
    expect(guarded.swapped).toEqual([[1, 2]]);
    expect(kept.swapped).toBeNull();
    expect(mirrored.swapped).toBeNull();
    expect(guarded.right).toBeGreaterThan(0.9);
    expect(kept.right).toBeGreaterThan(0.9);
    expect(mirrored.right).toBeLessThan(0.75);
  }, 300_000);

  it('validates data and refuses a non-finite loss', async () => {
    const unet = createUNet({ classes: 3, width: 2, seed: 4 });
    const tuner = createFinetuner(unet, { totalSteps: 5, batch: 2 });
    await expect(tuner.steps(1)).rejects.toThrow(/call setData\(\) with labelled slices first/);
    const images = tf.zeros([1, 32, 32, 1]) as tf.Tensor4D;
    const tooHigh = tf.fill([1, 32, 32], 3, 'int32') as tf.Tensor3D;
    const none = tf.fill([1, 32, 32], -1, 'int32') as tf.Tensor3D;
    const floats = tf.zeros([1, 32, 32]) as tf.Tensor3D;
    await expect(tuner.setData({ images, labels: tooHigh })).rejects.toThrow(/-1 \(unlabelled\) or 0..2, got values from 3 to 3/);
    await expect(tuner.setData({ images, labels: none })).rejects.toThrow(/no voxel is labelled/);
    await expect(tuner.setData({ images, labels: floats })).rejects.toThrow(/labels must be int32/);
    expect(() => createFinetuner(unet, { totalSteps: 5, batch: 1 })).toThrow(/batch must be an integer >= 2/);
    const ok = tf.zeros([1, 32, 32], 'int32') as tf.Tensor3D;
    await tuner.setData({ images, labels: ok });
    const head = unet.params.get('head.w');
    const poisoned = tf.fill(head.shape, NaN);
    head.assign(poisoned);
    poisoned.dispose();
    await expect(tuner.steps(1)).rejects.toBeInstanceOf(NonFiniteLossError);
    expect(tuner.step).toBe(0);
    expect(Number.isNaN(await maxAbs(head))).toBe(true);
    tf.dispose([images, tooHigh, none, floats, ok]);
    tuner.dispose();
    unet.dispose();
  });
});
