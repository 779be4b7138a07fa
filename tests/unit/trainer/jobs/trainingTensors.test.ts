import { beforeAll, describe, expect, it } from 'vitest';
import { strokeBox } from '../../../../src-main/ml/strokeBox';
import { finetuneDataOf } from '../../../../src-main/trainer/jobs/finetuneData';
import { sessionTrainingData } from '../../../../src-main/trainer/jobs/interactiveData';
import { useCpu } from '../../ml/helpers';

beforeAll(useCpu);

describe('training tensors in the strokes\' region of interest', () => {
  // 48 x 32 x 3; intensity = x / 48 + z; a structure stroked on slice 1 at x 20..23, y 10..13, background strokes at the slice's left edge.
  const width = 48;
  const height = 32;
  const depth = 3;
  const data = new Float32Array(width * height * depth);
  for (let z = 0; z < depth; z += 1) for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data[(z * height + y) * width + x] = x / width + z;
  const volume = { data, width, height, depth };
  const labels = new Int32Array(width * height * depth).fill(-1);
  for (let y = 10; y < 14; y += 1) for (let x = 20; x < 24; x += 1) labels[(height + y) * width + x] = 1;
  for (let y = 0; y < height; y += 1) labels[(height + y) * width] = 0;
  const slice1 = labels.subarray(width * height, 2 * width * height);

  it('crops every labelled slice to the box before resizing, in both the evaluation and the session', async () => {
    const roi = strokeBox([slice1], width, height, { margin: 0, minMargin: 6 });
    expect(roi).toEqual({ x0: 14, y0: 4, width: 16, height: 16 });
    const fromEval = finetuneDataOf(volume, labels, [1], 16, roi);
    const fromSession = sessionTrainingData(volume, [{ k: 1, labels: Int32Array.from(slice1), maxLabel: 1 }], 16, roi);
    // At 16 px the box is kept pixel for pixel: image x / 48 + 1 from x = 14, the stroke at 6..9, the edge's background strokes cropped away.
    const image = await fromEval.images.data();
    expect(image[0]).toBeCloseTo(14 / 48 + 1, 5);
    expect(image[15]).toBeCloseTo(29 / 48 + 1, 5);
    const cropped = Array.from(await fromEval.labels.data());
    expect(cropped.filter((v) => v === 1)).toHaveLength(16);
    expect(cropped[(10 - 4) * 16 + 6]).toBe(1);
    expect(cropped.filter((v) => v === 0)).toHaveLength(0);
    expect(Array.from(await fromSession.labels.data())).toEqual(cropped);
    expect(Array.from(await fromSession.images.data())).toEqual(Array.from(image));
    for (const t of [fromEval.images, fromEval.labels, fromSession.images, fromSession.labels]) t.dispose();
  });

  it('keeps whole slices without a box', async () => {
    const whole = finetuneDataOf(volume, labels, [1], 16);
    expect(whole.images.shape).toEqual([1, 16, 16, 1]);
    // The background strokes along x = 0 survive the footprint vote.
    expect(Array.from(await whole.labels.data()).filter((v) => v === 0).length).toBeGreaterThan(0);
    whole.images.dispose();
    whole.labels.dispose();
  });
});
