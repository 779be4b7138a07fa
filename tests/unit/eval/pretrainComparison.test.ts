import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { comparisonTable, meanAndSd, runPretrainComparison, type ComparisonRun } from '../../../src-main/eval/pretrainComparison';
import { useCpu } from '../ml/helpers';

beforeAll(useCpu);

describe('pre-training comparison', () => {
  it('mean and sample standard deviation', () => {
    expect(meanAndSd([0.5, 0.7, 0.9])).toEqual({ mean: expect.closeTo(0.7, 12), sd: expect.closeTo(0.2, 12) });
    expect(meanAndSd([0.4])).toEqual({ mean: 0.4, sd: 0 });
  });

  it('tabulates mean +- sd (n) per arm and K, with a dash where nothing ran', () => {
    const runs: ComparisonRun[] = [
      { arm: 'scratch', k: 1, seed: 1, meanDice: 0.5, finetuneSeconds: 10 },
      { arm: 'scratch', k: 1, seed: 2, meanDice: 0.7, finetuneSeconds: 12 },
      { arm: 'simcvd', k: 1, seed: 1, meanDice: 0.6, finetuneSeconds: 21 },
    ];
    expect(comparisonTable(runs, ['scratch', 'simcvd'], [1, 3]).split('\n')).toEqual([
      '| arm | K = 1 | K = 3 | fine-tune s / run |',
      '|---|---|---|---|',
      '| scratch | 0.600 +- 0.141 (2) | - | 11 |',
      '| simcvd | 0.600 +- 0.000 (1) | - | 21 |',
    ]);
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
      onRun: (run, result) => seen.push([run.arm, run.k, run.seed, result.method]),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([['scratch', 1, 3, 'supervised'], ['simcvd', 1, 3, 'simcvd']]);
    for (const run of runs) {
      expect(run.meanDice).toBeGreaterThanOrEqual(0);
      expect(run.meanDice).toBeLessThanOrEqual(1);
    }
  }, 300_000);
});
