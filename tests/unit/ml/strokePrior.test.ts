import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { priorWeights, strokeClassShares, strokePriorWeights, trainedPriorWeights } from '../../../src-main/ml/strokePrior';
import { useCpu } from './helpers';

beforeAll(useCpu);

describe('the strokes\' class prior', () => {
  it('counts each class\'s share of the stroked pixels, unlabelled and out-of-range values aside', () => {
    expect(strokeClassShares([-1, 0, 0, 0, 1, -1, 2, 0, 9], 3)).toEqual([4 / 6, 1 / 6, 1 / 6]);
    expect(strokeClassShares([-1, -1], 2)).toEqual([0, 0]);
  });

  it('weighs each painted class by (share / largest share)^-alpha, an unpainted class as the largest', () => {
    expect(priorWeights([0.8, 0.2, 0], 1)).toEqual([1, 4, 1]);
    expect(priorWeights([0.8, 0.2], 0.5)).toEqual([1, 2]);
    expect(priorWeights([0.8, 0.2], 0)).toEqual([1, 1]);
    expect(() => priorWeights([0.5, 0.5], -1)).toThrow(/alpha/);
  });

  it('reads the weights off a training label tensor, none at alpha 0', async () => {
    const labels = tf.tensor2d([[0, 0, 0, 1], [-1, -1, 0, 1]], [2, 4], 'int32');
    expect(await strokePriorWeights(labels, 2, 1)).toEqual([1, 2]);
    expect(await strokePriorWeights(labels, 2, 0)).toBeNull();
    labels.dispose();
  });
});

describe('the cap on the prior\'s weights', () => {
  it('boosts no class more than the cap (default 4)', async () => {
    expect(priorWeights([0.9, 0.09, 0.01], 1, 4)).toEqual([1, 4, 4]);
    expect(() => priorWeights([0.5, 0.5], 1, 0.5)).toThrow(/cap/);
    const labels = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 'int32');
    expect(await strokePriorWeights(labels, 2, 1)).toEqual([1, 4]);
    expect(await strokePriorWeights(labels, 2, 1, 100)).toEqual([1, 9]);
    labels.dispose();
  });
});

describe('the prior after the class-balanced CE', () => {
  it('puts the painted shares back, so the same alpha and cap give the decision rule of the plain CE', async () => {
    // Plain CE learns the painted shares as its prior; the balanced CE a uniform one: the weights differ by the shares.
    expect(priorWeights([0.8, 0.2], 1, 4, true)).toEqual([1, 1]);
    const capped = priorWeights([0.9, 0.09, 0.01], 1, 4, true);
    [1, 0.4, 4 / 90].forEach((w, i) => expect(capped[i]).toBeCloseTo(w, 12));
    expect(priorWeights([0.8, 0.2, 0], 0, Infinity, true)).toEqual([1, 0.25, 1]);
    const labels = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 'int32');
    // alpha 0 is no longer "nothing to do": the balanced model's uniform prior is replaced by the painted one.
    const painted = await strokePriorWeights(labels, 2, 0, 4, true);
    expect(painted?.[0]).toBe(1);
    expect(painted?.[1]).toBeCloseTo(1 / 9, 12);
    const undone = await strokePriorWeights(labels, 2, 1, 4, true);
    expect(undone?.[1]).toBeCloseTo(4 / 9, 12);
    labels.dispose();
  });
});

describe('the weights for a model trained on finetuneData\'s tensors', () => {
  it('shows labels filled inside closed outlines with a uniform prior unless alpha is given, and undoes the strokes\' prior otherwise', async () => {
    const labels = tf.tensor2d([[0, 0, 0, 1], [-1, -1, 0, 1]], [2, 4], 'int32');
    // Strokes as drawn: the default alpha (1), after the plain or the balanced loss.
    expect(await trainedPriorWeights({ labels }, 2, undefined, false)).toEqual([1, 2]);
    expect(await trainedPriorWeights({ labels }, 2, undefined, true)).toEqual(priorWeights([4 / 6, 2 / 6], 1, 4, true));
    expect(await trainedPriorWeights({ labels }, 2, 0, false)).toBeNull();
    // Filled labels: uniform by default whatever the loss asked for; an explicit alpha undoes the filled shares.
    expect(await trainedPriorWeights({ labels, classBalanced: true }, 2, undefined, true)).toBeNull();
    expect(await trainedPriorWeights({ labels, classBalanced: true }, 2, 1, true)).toEqual([1, 2]);
    labels.dispose();
  });
});

describe('the uncapped prior (--prior-cap off)', () => {
  it('gives every class the same prior: 1 / share after the plain CE, no weight at all after the class-balanced CE', async () => {
    // Background 9 strokes, the structure 1: capped at 4, uncapped 9 after the plain CE; 4 / 9 against 1 after the balanced CE.
    const labels = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 'int32');
    expect(await trainedPriorWeights({ labels }, 2, undefined, false)).toEqual([1, 4]);
    expect(await trainedPriorWeights({ labels }, 2, undefined, false, Infinity)).toEqual([1, 9]);
    const balanced = await trainedPriorWeights({ labels }, 2, undefined, true, Infinity);
    expect(balanced?.[0]).toBe(1);
    expect(balanced?.[1]).toBeCloseTo(1, 12);
    labels.dispose();
  });
});
