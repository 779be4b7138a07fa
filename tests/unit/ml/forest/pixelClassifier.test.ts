import { describe, expect, it } from 'vitest';
import { classifySlice, compactStrokes, trainPixelClassifier } from '../../../../src-main/ml/forest/pixelClassifier';
import { createRng } from '../../../../src-main/ml/random';

/** A noisy volume with a bright disc (label 1) whose radius changes from slice to slice. */
function discVolume(width: number, height: number, depth: number): { data: Float32Array; truth: Uint8Array } {
  const rng = createRng(3);
  const data = new Float32Array(width * height * depth);
  const truth = new Uint8Array(data.length);
  for (let k = 0; k < depth; k += 1) {
    const radius = 6 + k;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (k * height + y) * width + x;
        const inside = (x - 20) ** 2 + (y - 18) ** 2 < radius * radius;
        truth[i] = inside ? 1 : 0;
        data[i] = (inside ? 1 : 0) + 0.25 * rng.normal();
      }
    }
  }
  return { data, truth };
}

describe('pixel classifier', () => {
  it('segments a slice it was not stroked on from a stroke and a background stroke on another', () => {
    const [width, height, depth] = [40, 36, 6];
    const { data, truth } = discVolume(width, height, depth);
    const labels = new Int32Array(width * height).fill(-1);
    for (let t = -6; t <= 6; t += 1) {
      labels[18 * width + 20 + t] = 1;
      labels[(18 + t) * width + 20] = 1;
    }
    for (let x = 0; x < 6; x += 1) for (let y = 0; y < height; y += 4) labels[y * width + x] = 0;
    for (let y = 0; y < 3; y += 1) for (let x = 0; x < width; x += 1) labels[y * width + x] = 0;
    const volume = { data, width, height, depth };
    const forest = trainPixelClassifier(volume, [{ k: 2, labels }], 2, { trees: 12, seed: 1 });
    const k = 3;
    const predicted = classifySlice(forest, volume, k);
    let both = 0;
    let sum = 0;
    for (let i = 0; i < width * height; i += 1) {
      const t = truth[k * width * height + i] as number;
      both += t === 1 && predicted[i] === 1 ? 1 : 0;
      sum += t + (predicted[i] as number);
    }
    expect((2 * both) / sum).toBeGreaterThan(0.9);
  });

  it('tells a small painted structure from an identical one elsewhere by where it lies, but not a large structure', () => {
    // Two equally bright small squares; the left one is painted as the structure, the right one as background.
    const [width, height, depth] = [64, 64, 3];
    const data = new Float32Array(width * height * depth);
    const inLeft = (x: number, y: number): boolean => x >= 10 && x < 18 && y >= 28 && y < 36;
    const inRight = (x: number, y: number): boolean => x >= 46 && x < 54 && y >= 28 && y < 36;
    for (let k = 0; k < depth; k += 1) for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data[(k * height + y) * width + x] = inLeft(x, y) || inRight(x, y) ? 1 : 0;
    const labels = new Int32Array(width * height).fill(-1);
    for (let x = 12; x < 16; x += 1) labels[32 * width + x] = 1;
    for (let x = 48; x < 52; x += 1) labels[32 * width + x] = 0;
    for (let x = 4; x < 8; x += 1) labels[32 * width + x] = 0;
    const stroked = [{ k: 0, labels }];
    expect(compactStrokes(stroked, width, height)).toBe(true);
    const volume = { data, width, height, depth };
    const classifier = trainPixelClassifier(volume, stroked, 2, { trees: 12, seed: 1 });
    expect(classifier.location).toBe(true);
    const next = classifySlice(classifier, volume, 1);
    expect(next[32 * width + 14]).toBe(1);
    expect(next[32 * width + 50]).toBe(0);
    // A structure stroked across most of the slice: its position is no feature.
    const wide = new Int32Array(width * height).fill(-1);
    for (let x = 2; x < 60; x += 1) wide[10 * width + x] = 1;
    wide[0] = 0;
    expect(compactStrokes([{ k: 0, labels: wide }], width, height)).toBe(false);
  });

  it('says so when the strokes hold one class only', () => {
    const volume = { data: new Float32Array(64), width: 8, height: 8, depth: 1 };
    const labels = new Int32Array(64).fill(-1);
    labels[10] = 1;
    expect(() => trainPixelClassifier(volume, [{ k: 0, labels }], 2)).toThrow(/one class only/);
    expect(() => classifySlice(trainPixelClassifier(volume, [{ k: 0, labels: Int32Array.from({ length: 64 }, (_, i) => i % 2) }], 2), volume, 1)).toThrow(/slice 1 is outside 0..0/);
  });
});
