import { beforeAll, describe, expect, it } from 'vitest';
import { paintsSeveralStructures } from '../../../../src-main/ml/severalStructures';
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

describe('training labels completed inside a closed background outline', () => {
  const width = 16;
  const height = 16;
  const volume = { data: new Float32Array(width * height), width, height, depth: 1 };
  /** A background outline on the square [lo, hi], a structure stroke at (7, 7). */
  const outlined = (lo: number, hi: number): Int32Array => {
    const labels = new Int32Array(width * height).fill(-1);
    for (let y = lo; y <= hi; y += 1) for (let x = lo; x <= hi; x += 1) if (x === lo || x === hi || y === lo || y === hi) labels[y * width + x] = 0;
    labels[7 * width + 7] = 1;
    return labels;
  };
  const ones = async (labels: { data(): Promise<Int32Array | Float32Array | Uint8Array> }): Promise<number> => Array.from(await labels.data()).filter((v) => v === 1).length;

  it('fills the inside and asks for a class-balanced loss when the structure then outnumbers the background strokes, in the evaluation and the session alike', async () => {
    // Outline on the slice's edge: 60 background strokes; inside 1..14 less 2 pixels beside the outline: 3..12, 100 pixels.
    const labels = outlined(0, 15);
    const filled = finetuneDataOf(volume, labels, [0], 16, null, {});
    const session = sessionTrainingData(volume, [{ k: 0, labels: Int32Array.from(labels), maxLabel: 1 }], 16, null, {});
    expect(await ones(filled.labels)).toBe(100);
    expect(filled.classBalanced).toBe(true);
    expect(Array.from(await session.labels.data())).toEqual(Array.from(await filled.labels.data()));
    expect(session.classBalanced).toBe(true);
    const plain = finetuneDataOf(volume, labels, [0], 16);
    expect(await ones(plain.labels)).toBe(1);
    expect(plain.classBalanced).toBeUndefined();
    for (const t of [filled.images, filled.labels, session.images, session.labels, plain.images, plain.labels]) t.dispose();
  });

  it('keeps the strokes as drawn when the background strokes outnumber the filled structure, unless told to balance by the loss or by thinning', async () => {
    // Outline on the square 2..13: 44 background strokes; inside 5..10 after the margin, 36 pixels.
    const labels = outlined(2, 13);
    const auto = finetuneDataOf(volume, labels, [0], 16, null, {});
    expect(await ones(auto.labels)).toBe(1);
    expect(auto.classBalanced).toBeUndefined();
    const loss = finetuneDataOf(volume, labels, [0], 16, null, { balance: 'loss' });
    expect(await ones(loss.labels)).toBe(36);
    expect(loss.classBalanced).toBe(true);
    const thin = finetuneDataOf(volume, labels, [0], 16, null, { balance: 'thin' });
    expect(await ones(thin.labels)).toBe(36); // 36 <= 44: nothing to thin
    expect(thin.classBalanced).toBeUndefined();
    for (const t of [auto.images, auto.labels, loss.images, loss.labels, thin.images, thin.labels]) t.dispose();
  });
});

describe('strokes of several structures', () => {
  const width = 16;
  const height = 16;
  const volume = { data: new Float32Array(width * height), width, height, depth: 1 };
  /** Background on row 0, structure 1 at (4, 8), and structure `second` at (10, 8) unless 0. */
  const strokes = (second: number): Int32Array => {
    const labels = new Int32Array(width * height).fill(-1);
    for (let x = 0; x < width; x += 1) labels[x] = 0;
    labels[8 * width + 4] = 1;
    if (second !== 0) labels[8 * width + 10] = second;
    return labels;
  };

  it('counts two or more painted structures, the background and unlabelled voxels aside', () => {
    expect(paintsSeveralStructures([-1, 0, 1, 1, 0])).toBe(false);
    expect(paintsSeveralStructures([-1, 0, 2, 1])).toBe(true);
    expect(paintsSeveralStructures([])).toBe(false);
  });

  it('asks for the class-balanced loss (and so the uniform prior) with two structures, in the evaluation and the session alike, unless switched off', () => {
    const one = finetuneDataOf(volume, strokes(0), [0], 16);
    const two = finetuneDataOf(volume, strokes(2), [0], 16);
    const session = sessionTrainingData(volume, [{ k: 0, labels: strokes(2), maxLabel: 2 }], 16, null);
    const off = finetuneDataOf(volume, strokes(2), [0], 16, null, null, false);
    expect([one.classBalanced, two.classBalanced, session.classBalanced, off.classBalanced]).toEqual([undefined, true, true, undefined]);
    for (const d of [one, two, session, off]) {
      d.images.dispose();
      d.labels.dispose();
    }
  });
});
