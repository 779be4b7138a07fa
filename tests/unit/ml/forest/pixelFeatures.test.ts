import { describe, expect, it } from 'vitest';
import { featureCount, featureNames, featureSigmas, gaussianSmooth, sliceFeatures } from '../../../../src-main/ml/forest/pixelFeatures';

const width = 32;
const height = 24;
const n = width * height;
const feature = (features: Float32Array, name: string): Float32Array => {
  const f = featureNames.indexOf(name);
  expect(f).toBeGreaterThanOrEqual(0);
  return features.subarray(f * n, (f + 1) * n);
};

describe('pixel features', () => {
  it('names every feature once', () => {
    expect(featureNames).toHaveLength(featureCount);
    expect(new Set(featureNames).size).toBe(featureCount);
  });

  it('keeps a constant slice constant: no gradient, no Laplacian, no difference of Gaussians', () => {
    const features = sliceFeatures(new Float32Array(n).fill(0.7), width, height);
    for (const sigma of featureSigmas) {
      for (const v of feature(features, `gauss ${sigma}`)) expect(v).toBeCloseTo(0.7, 5);
      for (const v of feature(features, `gradient ${sigma}`)) expect(v).toBeCloseTo(0, 5);
      for (const v of feature(features, `laplacian ${sigma}`)) expect(v).toBeCloseTo(0, 5);
    }
    for (const v of features.subarray((1 + 3 * featureSigmas.length) * n)) expect(v).toBeCloseTo(0, 5);
  });

  it('puts the gradient on an edge and smooths it more at larger scales', () => {
    const slice = new Float32Array(n);
    for (let y = 0; y < height; y += 1) for (let x = 16; x < width; x += 1) slice[y * width + x] = 1;
    const features = sliceFeatures(slice, width, height);
    const row = 12 * width;
    const fine = feature(features, `gradient ${featureSigmas[0]}`);
    const coarse = feature(features, `gradient ${featureSigmas[featureSigmas.length - 1]}`);
    expect(fine[row + 15]).toBeGreaterThan(0.2);
    expect(fine[row + 4]).toBeCloseTo(0, 4);
    expect(coarse[row + 15] as number).toBeLessThan(fine[row + 15] as number);
    expect(coarse[row + 10] as number).toBeGreaterThan(fine[row + 10] as number);
  });

  it('smooths with a normalised kernel: the mean of the slice is kept away from the edges', () => {
    const slice = new Float32Array(n);
    slice[12 * width + 16] = 1;
    const smoothed = gaussianSmooth(slice, width, height, 1.6);
    expect(smoothed.reduce((sum, v) => sum + v, 0)).toBeCloseTo(1, 4);
    expect(smoothed[12 * width + 16] as number).toBeLessThan(0.1);
  });

  it('refuses a slice whose size does not match', () => {
    expect(() => sliceFeatures(new Float32Array(10), width, height)).toThrow(/10 pixels, a 32x24 slice needs 768/);
  });
});
