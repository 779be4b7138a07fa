import { describe, expect, it } from 'vitest';
import { binFeatures, binOf } from '../../../../src-main/ml/forest/featureBins';
import { forestLabels, forestProbabilities, trainForest } from '../../../../src-main/ml/forest/randomForest';
import { createRng } from '../../../../src-main/ml/random';

/** Two informative features (class c centred at c) and three of noise, feature-major. */
function blobs(perClass: readonly number[], seed: number): { values: Float32Array; labels: Int32Array } {
  const rng = createRng(seed);
  const samples = perClass.reduce((a, b) => a + b, 0);
  const values = new Float32Array(5 * samples);
  const labels = new Int32Array(samples);
  let i = 0;
  perClass.forEach((count, c) => {
    for (let j = 0; j < count; j += 1, i += 1) {
      labels[i] = c;
      values[i] = c * 2 + 0.4 * rng.normal();
      values[samples + i] = -c + 0.4 * rng.normal();
      for (let f = 2; f < 5; f += 1) values[f * samples + i] = rng.normal();
    }
  });
  return { values, labels };
}

const accuracy = (predicted: Uint8Array, truth: Int32Array): number => predicted.reduce((hits, p, i) => hits + (p === truth[i] ? 1 : 0), 0) / truth.length;

describe('feature bins', () => {
  it('splits "bin <= b" exactly where "value <= edge b" does', () => {
    const values = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i) * 10);
    const binned = binFeatures(values, 500, 1, 16, 1);
    const edges = binned.edges[0] as Float32Array;
    expect(edges.length).toBeGreaterThan(8);
    for (let i = 0; i < 500; i += 1) {
      const bin = binned.bins[i] as number;
      expect(bin).toBe(binOf(edges, values[i] as number));
      for (let b = 0; b < edges.length; b += 1) expect(bin <= b).toBe((values[i] as number) <= (edges[b] as number));
    }
  });

  it('gives a constant feature no edge (nothing to split)', () => {
    expect((binFeatures(new Float32Array(50).fill(3), 50, 1, 32, 1).edges[0] as Float32Array).length).toBe(0);
  });
});

describe('random forest', () => {
  it('separates three classes it has not seen the test samples of', () => {
    const train = blobs([300, 300, 300], 1);
    const test = blobs([200, 200, 200], 2);
    const forest = trainForest(train.values, train.labels, 5, 3, { trees: 10, seed: 3 });
    expect(accuracy(forestLabels(forest, test.values, 600), test.labels)).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed and changes with it', () => {
    const train = blobs([100, 100], 4);
    const probe = blobs([50, 50], 5);
    const a = forestProbabilities(trainForest(train.values, train.labels, 5, 2, { trees: 5, seed: 7 }), probe.values, 100);
    const b = forestProbabilities(trainForest(train.values, train.labels, 5, 2, { trees: 5, seed: 7 }), probe.values, 100);
    const c = forestProbabilities(trainForest(train.values, train.labels, 5, 2, { trees: 5, seed: 8 }), probe.values, 100);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('balances classes: a structure stroked 100 times against 3000 background voxels is still found', () => {
    const train = blobs([3000, 100], 6);
    const test = blobs([0, 200], 7);
    const forest = trainForest(train.values, train.labels, 5, 2, { trees: 16, seed: 1 });
    expect(accuracy(forestLabels(forest, test.values, 200), test.labels)).toBeGreaterThan(0.9);
  });

  it('returns probabilities that sum to one', () => {
    const train = blobs([50, 50, 50], 8);
    const probs = forestProbabilities(trainForest(train.values, train.labels, 5, 3, { trees: 4 }), train.values, 150);
    for (let i = 0; i < 150; i += 1) expect((probs[3 * i] as number) + (probs[3 * i + 1] as number) + (probs[3 * i + 2] as number)).toBeCloseTo(1, 5);
  });

  it('refuses empty input, one class and labels outside the classes with a clear message', () => {
    expect(() => trainForest(new Float32Array(0), new Int32Array(0), 5, 2)).toThrow(/no labelled samples/);
    expect(() => trainForest(new Float32Array(10), new Int32Array(2).fill(1), 5, 2)).toThrow(/one class only \(1\).*at least two/);
    expect(() => trainForest(new Float32Array(10), Int32Array.from([0, 2]), 5, 2)).toThrow(/label 2, outside 0..1/);
    expect(() => trainForest(new Float32Array(9), Int32Array.from([0, 1]), 5, 2)).toThrow(/9 feature values do not make 2 samples of 5 features/);
  });
});
