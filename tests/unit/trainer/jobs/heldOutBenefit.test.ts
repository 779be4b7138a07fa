import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../../src-main/shared/cancellation';
import { heldOutBenefitLine, labelledVoxelDice, measureHeldOutBenefit, splitLabelledSlices } from '../../../../src-main/trainer/jobs/heldOutBenefit';
import { createMaclModel } from '../../../../src-main/ml/maclModel';
import { makePhantom } from '../../ml/phantom';
import { useCpu } from '../../ml/helpers';

beforeAll(useCpu);

describe('held-out benefit of a pre-trained model', () => {
  it('splits labelled slices alternately and needs two', () => {
    expect(splitLabelledSlices([3, 5, 8, 9, 12])).toEqual({ train: [3, 8, 12], heldOut: [5, 9] });
    expect(splitLabelledSlices([4])).toBeNull();
  });

  it('scores only labelled voxels, foreground classes averaged (hand-computed)', () => {
    // truth: -1 unlabelled, 0 background, 1, 2; the unlabelled voxel's prediction does not count.
    const truth = Int32Array.from([-1, 0, 1, 1, 2, 2, 0]);
    const predicted = [1, 1, 1, 0, 2, 2, 0];
    // class 1: P = {1, 2}, T = {2, 3}: 2*1/4 = 0.5; class 2: 1.
    expect(labelledVoxelDice(predicted, truth)).toBeCloseTo(0.75, 10);
    expect(labelledVoxelDice(predicted, Int32Array.from([-1, 0, 0]))).toBeNull();
  });

  it('fine-tunes from scratch and from the model on half the labelled slices and scores the other half', async () => {
    const phantom = makePhantom(32, 8, 3);
    // Full labels (disc and square as one structure) on 4 slices (2 to train on, 2 held out), the rest unlabelled.
    const labels = new Int32Array(phantom.truth.length).fill(-1);
    const n = 32 * 32;
    for (const z of [1, 3, 5, 7]) for (let i = z * n; i < (z + 1) * n; i++) labels[i] = (phantom.truth[i] ?? 0) > 0 ? 1 : 0;
    const model = createMaclModel({ width: 4, seed: 2 });
    // A tiny width-4 net learns in 40 steps at 2e-2 with CE alone (as in the fine-tuner's own test).
    const benefit = await measureHeldOutBenefit([{ volume: phantom.volume, labels }], model.params, { size: 32, width: 4, steps: 40, batch: 4, lr: 2e-2, smoothness: 0 });
    model.dispose();
    expect(benefit).not.toBeNull();
    expect(benefit?.volumes).toBe(1);
    expect(benefit?.heldOutSlices).toBe(2);
    // An easy phantom: both inits learn it within 30 steps, so the figures measure something.
    expect(benefit?.diceScratch).toBeGreaterThan(0.5);
    expect(benefit?.dicePretrained).toBeGreaterThan(0.5);
    if (benefit !== null && benefit !== undefined) expect(heldOutBenefitLine(benefit)).toMatch(/^On your 1 labelled scan \(2 held-out labelled slices\): Dice 0\.\d\d from this model vs 0\.\d\d from scratch after 40 fine-tuning steps\.$/);
  }, 400_000);

  it('says nothing without two labelled slices, and stops when cancelled', async () => {
    const phantom = makePhantom(32, 4, 1);
    const model = createMaclModel({ width: 4, seed: 2 });
    const one = new Int32Array(phantom.truth.length).fill(-1);
    one.set(phantom.truth.subarray(0, 32 * 32), 0);
    expect(await measureHeldOutBenefit([{ volume: phantom.volume, labels: one }], model.params, { size: 32, width: 2, steps: 2, batch: 2 })).toBeNull();
    const controller = new AbortController();
    controller.abort();
    await expect(measureHeldOutBenefit([{ volume: phantom.volume, labels: Int32Array.from(phantom.truth) }], model.params, { size: 32, width: 2, steps: 5, batch: 2, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    model.dispose();
  });
});
