import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalCase } from '../../../src-main/eval/evalInputs';
import { labelsPresent, runEval } from '../../../src-main/eval/evalRun';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { writePhantomSet } from '../../../src-main/eval/phantomFiles';
import { simulateScribbles } from '../../../src-main/eval/scribble';
import { useCpu } from '../ml/helpers';

let dir = '';
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(path.join(os.tmpdir(), 'macl-eval-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('phantom files', () => {
  it('writes NIfTI image and truth that the eval reader gets back voxel for voxel', async () => {
    const [written] = await writePhantomSet(dir, { size: 32, slices: 8, seed: 5, count: 1 });
    const phantom = generatePhantom({ size: 32, slices: 8, seed: 5 });
    const loaded = await loadEvalCase(written!.image, written!.truth, path.join(dir, 'workspace'));
    expect([loaded.width, loaded.height, loaded.depth]).toEqual([32, 32, 8]);
    expect(Array.from(loaded.image)).toEqual(Array.from(phantom.image));
    expect(Array.from(loaded.truth)).toEqual(Array.from(phantom.truth));
    expect(labelsPresent(loaded.truth)).toEqual([1, 2, 3]);
  });

  it('names the file when the truth is missing, a SEG without a DICOM image, or not on the image grid', async () => {
    const [small] = await writePhantomSet(path.join(dir, 'small'), { size: 16, slices: 8, seed: 1 });
    const [big] = await writePhantomSet(path.join(dir, 'big'), { size: 32, slices: 8, seed: 1 });
    await expect(loadEvalCase(big!.image, path.join(dir, 'missing.dcm'), dir)).rejects.toThrow(/No such truth file: .*missing\.dcm/);
    await writeFile(path.join(dir, 'truth.dcm'), new Uint8Array(200));
    await expect(loadEvalCase(big!.image, path.join(dir, 'truth.dcm'), dir)).rejects.toThrow(/truth\.dcm: a DICOM-SEG truth needs a DICOM image series as --image/);
    await expect(loadEvalCase(big!.image, small!.truth, dir)).rejects.toThrow(/phantom-1\.nii\.gz does not cover the voxels/);
  });
});

describe('eval run', () => {
  it('fine-tunes on the simulated strokes only and scores every label (tiny shapes)', async () => {
    const p = generatePhantom({ size: 32, slices: 8, seed: 9 });
    const evalCase = { image: p.image, truth: p.truth, width: 32, height: 32, depth: 8 };
    const scribbles = simulateScribbles(p.truth, p, [1, 2, 3], { slicesPerLabel: 2 });
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const result = await runEval(evalCase, { scribbleSlices: 2, init: null, steps: 3, seed: 4, size: 32, width: 2, batch: 2, lr: 0.01, onStep: (s) => seen.push(s.labelled) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.labels.map((l) => l.label)).toEqual([1, 2, 3]);
    expect(result.labels.map((l) => l.slices)).toEqual(scribbles.perLabel.map((l) => l.slices));
    expect(result.labelledVoxels).toBe(scribbles.labels.filter((v) => v >= 0).length);
    for (const l of result.labels) {
      expect(l.dice).toBeGreaterThanOrEqual(0);
      expect(l.dice).toBeLessThanOrEqual(1);
      expect(l.truthVoxels).toBe(p.truth.filter((t) => t === l.label).length);
    }
    expect(seen).toHaveLength(3);
    // A step sees at most the strokes of the slices it drew (augmentation can push some out of view).
    for (const n of seen) expect(n).toBeLessThanOrEqual(result.labelledVoxels);
    expect(result).toMatchObject({ steps: 3, init: 'scratch', backend: 'cpu', size: 32, width: 2, batch: 2, seed: 4 });
    expect(result.seconds).toBeGreaterThan(0);
    await expect(runEval(evalCase, { scribbleSlices: 2, init: null, steps: 0, size: 32, width: 2 })).rejects.toThrow(/steps must be a positive integer/);
    await expect(runEval({ ...evalCase, truth: new Uint8Array(p.truth.length) }, { scribbleSlices: 2, init: null, steps: 1, size: 32, width: 2 })).rejects.toThrow(/holds no label other than 0/);
  });

  it('recalibrates at the end and at every checkpoint without changing the training: its Dice with the training statistics is the un-recalibrated run\'s', async () => {
    const p = generatePhantom({ size: 32, slices: 8, seed: 9 });
    const evalCase = { image: p.image, truth: p.truth, width: 32, height: 32, depth: 8 };
    const settings = { scribbleSlices: 2, init: null, steps: 6, seed: 2, size: 32, width: 2, batch: 2, lr: 0.02, checkpointEvery: 2, keepConnected: false };
    const before = tf.memory().numTensors;
    const plain = await runEval(evalCase, { ...settings, recalibrate: false });
    const recalibrated = await runEval(evalCase, { ...settings, recalibrate: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(plain.runningStatsDice).toBeUndefined();
    expect(recalibrated.runningStatsDice).toBe(plain.meanDice);
    expect(recalibrated.curve.map((point) => point.runningStatsDice)).toEqual(plain.curve.map((point) => point.meanDice));
    expect(recalibrated.lossLast).toBe(plain.lossLast);
    // The recalibrated segmentation is a different one (the statistics of the whole volume, not of the stroked slices).
    expect(recalibrated.curve.map((point) => point.meanDice)).not.toEqual(plain.curve.map((point) => point.meanDice));
  });

  it('ends with the statistics that fit the strokes better when judging the recalibration, and with the recalibrated ones when not', async () => {
    const p = generatePhantom({ size: 32, slices: 8, seed: 9 });
    const evalCase = { image: p.image, truth: p.truth, width: 32, height: 32, depth: 8 };
    const settings = { scribbleSlices: 2, init: null, steps: 6, seed: 2, size: 32, width: 2, batch: 2, lr: 0.02, keepConnected: false, recalibrate: true };
    const before = tf.memory().numTensors;
    const judged = await runEval(evalCase, { ...settings, judgeRecalibration: true });
    const unjudged = await runEval(evalCase, { ...settings, judgeRecalibration: false });
    const plain = await runEval(evalCase, { ...settings, recalibrate: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(unjudged.statistics).toBe('recalibrated');
    expect(plain.statistics).toBe('training');
    // The judge picks one of the two segmentations of the same weights: the training statistics' (the un-recalibrated run's) or the recalibrated one.
    expect(judged.meanDice).toBe(judged.statistics === 'training' ? plain.meanDice : unjudged.meanDice);
    expect(judged.runningStatsDice).toBe(plain.meanDice);
  });

  it('with crops at native resolution: trains on crops of an odd-sized grid and scores the whole grid, leaking nothing', async () => {
    const p = generatePhantom({ size: 40, slices: 6, seed: 3 });
    // Crop the phantom to 40 x 37 so the grid is no multiple of 16.
    const at = (i: number): number => Math.floor(i / (40 * 37)) * 1600 + (i % (40 * 37));
    const image = Float32Array.from({ length: 40 * 37 * 6 }, (_, i) => p.image[at(i)] ?? 0);
    const truth = Uint8Array.from({ length: 40 * 37 * 6 }, (_, i) => p.truth[at(i)] ?? 0);
    const evalCase = { image, truth, width: 40, height: 37, depth: 6 };
    const before = tf.memory().numTensors;
    const result = await runEval(evalCase, { scribbleSlices: 2, init: null, steps: 2, seed: 1, size: 16, width: 2, batch: 2, lr: 0.01, sampling: 'patches' });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.sampling).toBe('patches');
    for (const l of result.labels) expect(l.truthVoxels).toBe(evalCase.truth.filter((t) => t === l.label).length);
    expect(result.labels.reduce((n, l) => n + l.predictedVoxels, 0)).toBeLessThanOrEqual(40 * 37 * 6);
  });
});
