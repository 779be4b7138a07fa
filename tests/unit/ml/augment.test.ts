import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentImages, augmentWithLabels, finetuneAugmentation, ignoreLabel, noAugmentation, randomAffine, randomAffineRows, transformBatch, type AugmentOptions } from '../../../src-main/ml/augment';
import { createRng, type Rng } from '../../../src-main/ml/random';
import { maxAbs, relativeError, useCpu } from './helpers';

beforeAll(useCpu);

/** An Rng that returns scripted values for next() (then 0.99). */
function scripted(values: number[]): Rng {
  const base = createRng(1);
  let i = 0;
  const next = (): number => values[i++] ?? 0.99;
  return { ...base, next, uniform: (lo, hi) => lo + (hi - lo) * next() };
}

describe('spatial augmentation', () => {
  it('is an exact identity with everything off', async () => {
    const images = tf.randomUniform([3, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const out = augmentImages(images, createRng(1), noAugmentation);
    expect(await relativeError(out, images)).toBe(0);
    tf.dispose([images, out]);
  });

  it('transforms every image of a batch (works around the tfjs 4.22 CPU kernel that stops after image 0)', async () => {
    const images = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const identity = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    const out = transformBatch(images, identity, 'bilinear', 0);
    expect(await relativeError(out, images)).toBe(0);
    tf.dispose([images, out]);
  });

  it('mirrors exactly when only a flip is drawn', async () => {
    // next(): flipX yes (0.1 < 0.5), flipY no (0.9), gate off (0.99 >= 0.67)
    const rows = randomAffineRows(scripted([0.1, 0.9, 0.99]), 1, 4, 5);
    const image = tf.tensor4d(Array.from({ length: 20 }, (_, i) => i), [1, 4, 5, 1]);
    const out = transformBatch(image, rows, 'bilinear', 0);
    const expected = tf.reverse(image, 2);
    expect(await relativeError(out, expected)).toBe(0);
    tf.dispose([image, out, expected]);
  });

  it('moves labels with their image (same transform, nearest), and the border becomes "unlabelled"', async () => {
    const images = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 32 * 32), [1, 32, 32, 1]), [2, 1, 1, 1]).toFloat()) as tf.Tensor4D;
    const labels = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 32 * 32, 1, 'int32'), [1, 32, 32]), [2, 1, 1])) as tf.Tensor3D;
    // Rotation and zoom-out always on: the corners fall outside the image.
    const options = { probability: 1, scale: [0.7, 0.8] as const };
    const out = augmentWithLabels(images, labels, createRng(7), options);
    expect(out.labels.dtype).toBe('int32');
    // The same rows (same seed) applied with nearest interpolation to the voxel-index image give the labels.
    const rows = randomAffineRows(createRng(7), 2, 32, 32, options);
    const nearest = transformBatch(images, rows, 'nearest', ignoreLabel);
    const [lab, ref, img] = await Promise.all([out.labels.data(), nearest.data(), out.images.data()]);
    expect(Array.from(lab)).toEqual(Array.from(ref));
    const border = lab.filter((v) => v === ignoreLabel).length;
    expect(border).toBeGreaterThan(0);
    expect(lab.length - border).toBeGreaterThan(border);
    // The image itself is interpolated bilinearly (values between voxel indices appear).
    expect(Array.from(img).some((v) => Math.abs(v - Math.round(v)) > 1e-3)).toBe(true);
    tf.dispose([images, labels, out.images, out.labels, nearest]);
  });

  it('draws independent transforms per call and is reproducible per seed', async () => {
    const images = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const rngA = createRng(5);
    const rngB = createRng(5);
    const a1 = augmentImages(images, rngA, { probability: 1 });
    const a2 = augmentImages(images, rngA, { probability: 1 });
    const b1 = augmentImages(images, rngB, { probability: 1 });
    expect(await maxAbs(() => a1.sub(b1))).toBe(0);
    expect(await maxAbs(() => a1.sub(a2))).toBeGreaterThan(0);
    tf.dispose([images, a1, a2, b1]);
  });

  it("fine-tuning's augmentation never mirrors (the pre-training's does, about half the time)", () => {
    // A mirror would turn a left structure into its right twin: the strokes of a left/right pair would contradict each other.
    const draws = 500;
    const mirrors = (options?: AugmentOptions): number => {
      const rows = randomAffineRows(createRng(11), draws, 64, 64, options);
      let mirrored = 0;
      for (let i = 0; i < draws; i += 1) {
        const [a00 = 0, a01 = 0, , a10 = 0, a11 = 0] = rows.subarray(i * 8, i * 8 + 5);
        if (a00 * a11 - a01 * a10 < 0) mirrored += 1;
      }
      return mirrored;
    };
    expect(mirrors(finetuneAugmentation)).toBe(0);
    expect(mirrors()).toBeGreaterThan(draws / 4);
  });

  it('keeps the sided samples upright and gives reflected samples their own labels (the mirror guard), with the same random sequence', async () => {
    // Per sample next(): flipX, flipY, gate, then (gate < 0.67) turn, scale, shift x, shift y.
    // Samples: x mirrored, turned 0.75 of a full turn; both axes mirrored (a half turn); y mirrored, turned 0.25 of a turn.
    const draws = [0.1, 0.9, 0.5, 0.75, 0.5, 0.5, 0.5, 0.1, 0.1, 0.99, 0.9, 0.1, 0.5, 0.25, 0.5, 0.5, 0.5];
    const free = randomAffine(scripted(draws), 3, 8, 8);
    const kept = randomAffine(scripted(draws), 3, 8, 8, {}, [1, 1, 0]);
    expect(Array.from(free.reflected)).toEqual([1, 0, 1]);
    // Kept upright: the first turned by (2 * 0.75 - 1) * 30 = 15 degrees, still mirrored; the half turn's row mirror dropped (columns only: a reflection).
    expect(Array.from(kept.reflected)).toEqual([1, 1, 1]);
    // A mirrored sample (x only) has a00 = -cos, a10 = -sin of its turn.
    const angle = (rows: Float32Array, i: number): number => Math.round((Math.atan2(-(rows[i * 8 + 3] ?? 0), -(rows[i * 8] ?? 0)) * 180) / Math.PI);
    expect(angle(free.rows, 0)).toBe(270 - 360);
    expect(angle(kept.rows, 0)).toBe(15);
    // The third sample is not kept: the same transform either way.
    expect(Array.from(kept.rows.subarray(16))).toEqual(Array.from(free.rows.subarray(16)));
    const images = tf.zeros([3, 8, 8, 1]) as tf.Tensor4D;
    const labels = tf.fill([3, 8, 8], 1, 'int32') as tf.Tensor3D;
    const sided = { reflected: tf.fill([3, 8, 8], 2, 'int32') as tf.Tensor3D, upright: [1, 1, 0] };
    const out = augmentWithLabels(images, labels, scripted(draws), { scale: [1, 1], translate: 0 }, sided);
    const perSample = tf.tidy(() => tf.max(out.labels, [1, 2]));
    expect(Array.from(await perSample.data())).toEqual([2, 2, 2]);
    expect(() => augmentWithLabels(images, labels, scripted(draws), {}, { ...sided, upright: [1] })).toThrow(/upright flags/);
    tf.dispose([images, labels, sided.reflected, out.images, out.labels, out.valid, perSample]);
  });
});
