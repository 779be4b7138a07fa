import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { priorWeights, strokeClassShares, strokePriorWeights } from '../../../src-main/ml/strokePrior';
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
