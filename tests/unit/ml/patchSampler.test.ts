import { describe, expect, it } from 'vitest';
import { createPatchSampler } from '../../../src-main/ml/patchSampler';
import { createRng } from '../../../src-main/ml/random';

/** Two 50 x 40 slices: image value = its flat index; a 3-pixel stroke of class 2 on slice 1, background strokes on slice 0. */
function source() {
  const width = 50;
  const height = 40;
  const plane = width * height;
  const images = Float32Array.from({ length: 2 * plane }, (_, i) => i);
  const labels = new Int32Array(2 * plane).fill(-1);
  for (let x = 0; x < 50; x += 1) labels[10 * width + x] = 0;
  for (const x of [30, 31, 32]) labels[plane + 35 * width + x] = 2;
  return { images, labels, count: 2, height, width, channels: 1 };
}

describe('createPatchSampler', () => {
  it('cuts crops that hold a stroked pixel, copied from the source with its image, padded with 0 / -1 outside the slice', () => {
    const src = source();
    const sampler = createPatchSampler(src, 32);
    expect(sampler.classCounts).toEqual([50, 0, 3]);
    const rng = createRng(4);
    let smallSeen = 0;
    for (let round = 0; round < 50; round += 1) {
      const { images, labels } = sampler.sample(4, rng);
      expect(images.length).toBe(4 * 32 * 32);
      for (let b = 0; b < 4; b += 1) {
        const crop = labels.subarray(b * 1024, (b + 1) * 1024);
        expect(crop.some((v) => v >= 0)).toBe(true);
        if (crop.includes(2)) smallSeen += 1;
        for (let i = 0; i < 1024; i += 1) {
          const value = images[b * 1024 + i] ?? 0;
          if ((crop[i] ?? -1) >= 0) expect(src.labels[value]).toBe(crop[i]); // the image value is the source index: same pixel
        }
      }
    }
    // Classes are drawn uniformly among those stroked: the 3-pixel stroke is in about half the crops, not 3 in 53.
    expect(smallSeen).toBeGreaterThan(60);
  });

  it('pads a slice smaller than the crop', () => {
    const labels = Int32Array.from({ length: 20 * 10 }, () => 1);
    const sampler = createPatchSampler({ images: new Float32Array(200).fill(0.5), labels, count: 1, height: 10, width: 20, channels: 1 }, 32);
    const { images, labels: out } = sampler.sample(2, createRng(1));
    expect(out.filter((v) => v === 1).length).toBe(2 * 200);
    expect(out.filter((v) => v === -1).length).toBe(2 * (1024 - 200));
    expect(images.filter((v) => v === 0.5).length).toBe(2 * 200);
  });

  it('refuses strokes it cannot use', () => {
    expect(() => createPatchSampler({ ...source(), labels: new Int32Array(4000).fill(-1) }, 32)).toThrow(/no pixel is labelled/);
    expect(() => createPatchSampler({ ...source(), count: 3 }, 32)).toThrow(/do not fit 3 slices/);
  });
});
