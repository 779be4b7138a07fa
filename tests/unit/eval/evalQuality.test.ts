/**
 * Segmentation quality on the phantom task (docs/eval-protocol.md).
 *
 * By default: a regression check that fails when fine-tuning floods the
 * unlabelled background with one structure class (what the protocol's
 * band-only background strokes produced: the ring predicted on 30,000+ voxels
 * against 726), at a shape the CPU suite can afford (~2-4 min on 2 shared
 * cores). Its floor is below the measured figures, not the issue's bar.
 *
 * Opt-in (MACL_EVAL_QUALITY=1): the issue's bar, 3 scribbled slices per label
 * reach Dice >= 0.90 and a MACL-pretrained init beats scratch at the same
 * fine-tuning budget. Not shown to pass yet (docs/eval-protocol.md, "Status").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runEval, type EvalResult } from '../../../src-main/eval/evalRun';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { createPretrainer } from '../../../src-main/ml/pretrainer';
import { normalizeIntensities } from '../../../src-main/ml/normalize';
import { createSliceSampler } from '../../../src-main/ml/sliceSampler';
import { useCpu } from '../ml/helpers';

const enabled = process.env.MACL_EVAL_QUALITY === '1';
const size = 64;
const depth = 24;
const width = 8;
const common = { scribbleSlices: 3, size, width, batch: 4, lr: 3e-3 } as const;
const evalCase = () => {
  const p = generatePhantom({ size, slices: depth, seed: 101 });
  return { image: p.image, truth: p.truth, width: size, height: size, depth };
};
const line = (r: EvalResult): string => `${r.labels.map((l) => `${l.label}: ${l.dice.toFixed(3)}`).join(', ')} (mean ${r.meanDice.toFixed(3)}, ${r.steps} steps, ${r.seconds.toFixed(0)} s)`;

describe('eval regression on the phantom (no background flood)', () => {
  beforeAll(useCpu);

  it('predicts no label on more than 3x its true voxels and keeps mean Dice above the measured floor', async () => {
    const small = 48;
    const p = generatePhantom({ size: small, slices: depth, seed: 11 });
    const result = await runEval(
      { image: p.image, truth: p.truth, width: small, height: small, depth },
      { scribbleSlices: 3, init: null, steps: 80, seed: 1, size: small, width: 8, batch: 4, lr: 1e-2 },
    );
    console.log(`eval regression, scratch: ${line(result)}; predicted/truth voxels ${result.labels.map((l) => `${l.predictedVoxels}/${l.truthVoxels}`).join(', ')}`);
    for (const label of result.labels) expect(label.predictedVoxels).toBeLessThanOrEqual(3 * label.truthVoxels);
    // Measured 0.369 (0.649 / 0.447 / 0.012); the flood gave 0.04-0.2.
    expect(result.meanDice).toBeGreaterThan(0.3);
  }, 900_000);
});

describe.skipIf(!enabled)('eval quality on the phantom (MACL_EVAL_QUALITY=1)', () => {
  beforeAll(useCpu);

  it('reaches Dice >= 0.90 per label from 3 scribbled slices', async () => {
    const result = await runEval(evalCase(), { ...common, init: null, steps: 400, seed: 1 });
    console.log(`eval, scratch: ${line(result)}`);
    for (const label of result.labels) expect(label.dice).toBeGreaterThanOrEqual(0.9);
  }, 3_600_000);

  it('a MACL-pretrained init beats scratch at the same fine-tuning budget', async () => {
    const volumes = [201, 202, 203, 204].map((seed) => {
      const p = generatePhantom({ size, slices: depth, seed });
      return { data: normalizeIntensities(p.image), width: size, height: size, depth };
    });
    const sampler = createSliceSampler(volumes, { size, seed: 3 });
    const model = createMaclModel({ width, seed: 1 });
    const pretrainSteps = 300;
    const trainer = createPretrainer(model, { totalSteps: pretrainSteps, seed: 2 });
    for (let i = 0; i < pretrainSteps; i += 1) {
      const batch = sampler.sample(8);
      await trainer.trainStep(batch);
      batch.images.dispose();
    }
    const budget = 100;
    const seeds = [1, 2, 3];
    const mean = async (init: typeof model.params | null): Promise<number> => {
      let sum = 0;
      for (const seed of seeds) {
        const r = await runEval(evalCase(), { ...common, init, steps: budget, seed });
        console.log(`eval, ${init === null ? 'scratch' : 'pretrained'}, seed ${seed}: ${line(r)}`);
        sum += r.meanDice;
      }
      return sum / seeds.length;
    };
    const scratch = await mean(null);
    const pretrained = await mean(model.params);
    console.log(`mean Dice over seeds ${seeds.join(',')} at ${budget} steps: scratch ${scratch.toFixed(3)}, pretrained ${pretrained.toFixed(3)}`);
    trainer.dispose();
    model.dispose();
    expect(pretrained).toBeGreaterThan(scratch);
  }, 7_200_000);
});
