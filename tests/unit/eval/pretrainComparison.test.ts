import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { comparisonTable, meanAndSd, median, runPretrainComparison, structureTable, type ComparisonRun } from '../../../src-main/eval/pretrainComparison';
import { transferredNames } from '../../../src-main/ml/transfer';
import { createUNet } from '../../../src-main/ml/unet';
import { useCpu } from '../ml/helpers';

beforeAll(useCpu);

describe('pre-training comparison', () => {
  it('mean and sample standard deviation', () => {
    expect(meanAndSd([0.5, 0.7, 0.9])).toEqual({ mean: expect.closeTo(0.7, 12), sd: expect.closeTo(0.2, 12) });
    expect(meanAndSd([0.4])).toEqual({ mean: 0.4, sd: 0 });
  });

  it('tabulates mean +- sd (n) per arm and K, with a dash where nothing ran', () => {
    const runs: ComparisonRun[] = [
      { arm: 'scratch', k: 1, seed: 1, meanDice: 0.5, finetuneSeconds: 10, reachStep: null, reachSeconds: null, labels: [] },
      { arm: 'scratch', k: 1, seed: 2, meanDice: 0.7, finetuneSeconds: 12, reachStep: null, reachSeconds: null, labels: [] },
      { arm: 'simcvd', k: 1, seed: 1, meanDice: 0.6, finetuneSeconds: 21, reachStep: null, reachSeconds: null, labels: [] },
    ];
    expect(comparisonTable(runs, ['scratch', 'simcvd'], [1, 3]).split('\n')).toEqual([
      '| arm | K = 1 | K = 3 | fine-tune s / run |',
      '|---|---|---|---|',
      '| scratch | 0.600 +- 0.141 (2) | - | 11 |',
      '| simcvd | 0.600 +- 0.000 (1) | - | 21 |',
    ]);
  });

  it('adds the median steps to reach a Dice over the runs that reached it, and how many did', () => {
    const run = (arm: string, seed: number, reachStep: number | null): ComparisonRun => ({ arm, k: 2, seed, meanDice: 0.9, finetuneSeconds: 10, reachStep, reachSeconds: reachStep === null ? null : reachStep / 10, labels: [] });
    const runs = [run('scratch', 1, 40), run('scratch', 2, null), run('scratch', 3, 60), run('macl', 1, 20), run('macl', 2, 30)];
    expect(comparisonTable(runs, ['scratch', 'macl'], [2], 0.85).split('\n')).toEqual([
      '| arm | K = 2 | steps to 0.85, K = 2 | fine-tune s / run |',
      '|---|---|---|---|',
      '| scratch | 0.900 +- 0.000 (3) | 50 (2/3) | 10 |',
      '| macl | 0.900 +- 0.000 (2) | 25 (2/2) | 10 |',
    ]);
    expect(median([3, 1, 2])).toBe(2);
  });

  it("adds the Dice with the training's statistics per K when the runs were recalibrated", () => {
    const run = (arm: string, seed: number, meanDice: number, runningStatsDice: number): ComparisonRun => ({ arm, k: 1, seed, meanDice, finetuneSeconds: 10, reachStep: null, reachSeconds: null, runningStatsDice, labels: [] });
    const runs = [run('scratch', 1, 0.5, 0.9), run('scratch', 2, 0.9, 0.7), run('macl', 1, 0.8, 0.8)];
    expect(comparisonTable(runs, ['scratch', 'macl'], [1, 2]).split('\n')).toEqual([
      "| arm | K = 1 | K = 2 | K = 1, training's statistics | K = 2, training's statistics | fine-tune s / run |",
      '|---|---|---|---|---|---|',
      '| scratch | 0.700 +- 0.283 (2) | - | 0.800 +- 0.141 (2) | - | 10 |',
      '| macl | 0.800 +- 0.000 (1) | - | 0.800 +- 0.000 (1) | - | 10 |',
    ]);
  });

  it('tabulates the Dice per structure per arm and K, and nothing for one structure', () => {
    const run = (arm: string, seed: number, dices: readonly number[]): ComparisonRun => ({ arm, k: 3, seed, meanDice: 0, finetuneSeconds: 10, reachStep: null, reachSeconds: null, labels: dices.map((dice, i) => ({ label: i + 1, dice })) });
    const runs = [run('scratch', 1, [0.2, 0.6]), run('scratch', 2, [0.4, 0.8]), run('macl', 1, [0.5, 0.1])];
    expect(structureTable(runs, ['scratch', 'macl', 'simcvd'], [1, 3])?.split('\n')).toEqual([
      '| arm | K | label 1 | label 2 |',
      '|---|---|---|---|',
      '| scratch | 3 | 0.300 +- 0.141 (2) | 0.700 +- 0.141 (2) |',
      '| macl | 3 | 0.500 +- 0.000 (1) | 0.100 +- 0.000 (1) |',
    ]);
    expect(structureTable([run('scratch', 1, [0.9])], ['scratch'], [3])).toBeNull();
  });

  it('runs every arm, supervised and SimCVD, and leaks no tensor (tiny shapes)', async () => {
    const p = generatePhantom({ size: 32, slices: 8, seed: 9 });
    const evalCase = { image: p.image, truth: p.truth, width: 32, height: 32, depth: 8 };
    const before = tf.memory().numTensors;
    const seen: Array<[string, number, number, string]> = [];
    const runs = await runPretrainComparison(evalCase, {
      arms: [{ name: 'scratch', init: null, method: 'supervised' }, { name: 'simcvd', init: null, method: 'simcvd' }],
      ks: [1],
      seeds: [3],
      steps: 2,
      size: 32,
      width: 2,
      batch: 2,
      lr: 0.01,
      reach: 0,
      checkpointEvery: 1,
      onRun: (run, result) => seen.push([run.arm, run.k, run.seed, result.method]),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([['scratch', 1, 3, 'supervised'], ['simcvd', 1, 3, 'simcvd']]);
    for (const run of runs) {
      // Scored after step 1 and at the end; any Dice reaches 0 at the first checkpoint.
      expect(run.reachStep).toBe(1);
      expect(run.meanDice).toBeGreaterThanOrEqual(0);
      expect(run.meanDice).toBeLessThanOrEqual(1);
      // Recalibrated by default, so each run also carries the Dice with the training's statistics.
      expect(run.runningStatsDice).toBeGreaterThanOrEqual(0);
      expect(run.runningStatsDice).toBeLessThanOrEqual(1);
      // One Dice per structure of the phantom's truth.
      expect(run.labels.map((l) => l.label)).toEqual([...new Set(p.truth)].filter((v) => v > 0).sort((a, b) => a - b));
    }
  }, 300_000);

  it('makes a seeded init for each run and disposes it after the run', async () => {
    const p = generatePhantom({ size: 32, slices: 8, seed: 9 });
    const evalCase = { image: p.image, truth: p.truth, width: 32, height: 32, depth: 8 };
    const before = tf.memory().numTensors;
    const seedsAsked: number[] = [];
    const made: tf.Tensor[] = [];
    const init = (seed: number): Map<string, tf.Tensor> => {
      seedsAsked.push(seed);
      const source = createUNet({ classes: 2, width: 2, seed: 40 + seed });
      const tensors = new Map(transferredNames(source.params).map((name) => [name, tf.clone(source.params.get(name))] as const));
      source.dispose();
      made.push(...tensors.values());
      return tensors;
    };
    await runPretrainComparison(evalCase, { arms: [{ name: 'seeded', init, method: 'supervised' }], ks: [1], seeds: [1, 2], steps: 1, size: 32, width: 2, batch: 2, lr: 0.01 });
    expect(seedsAsked).toEqual([1, 2]);
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);
});
