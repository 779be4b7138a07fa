import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { noAugmentation } from '../../../../src-main/ml/augment';
import { inferenceContext } from '../../../../src-main/ml/batchNorm';
import { createFinetuner } from '../../../../src-main/ml/finetuner';
import { createSimcvd, type SimcvdTerms } from '../../../../src-main/ml/simcvd/simcvdExtension';
import { teacherDecay } from '../../../../src-main/ml/simcvd/meanTeacher';
import { createUNet } from '../../../../src-main/ml/unet';
import { useCpu } from '../helpers';

beforeAll(useCpu);

const size = 32;

/** Two stroked slices (a bright square is class 1, a line of background) and 3 unlabelled ones. */
function smallCase(): { images: tf.Tensor4D; labels: tf.Tensor3D; unlabelled: tf.Tensor4D } {
  const plane = size * size;
  const image = new Float32Array(5 * plane);
  const labels = new Int32Array(2 * plane).fill(-1);
  for (let z = 0; z < 5; z++) {
    for (let y = 8 + z; y < 20 + z; y++) for (let x = 10; x < 22; x++) image[z * plane + y * size + x] = 1;
  }
  for (let z = 0; z < 2; z++) {
    for (let x = 12; x < 20; x++) labels[z * plane + (14 + z) * size + x] = 1;
    for (let x = 0; x < size; x++) labels[z * plane + 2 * size + x] = 0;
  }
  return {
    images: tf.tensor4d(image.subarray(0, 2 * plane), [2, size, size, 1]),
    labels: tf.tensor3d(labels, [2, size, size], 'int32'),
    unlabelled: tf.tensor4d(image.subarray(2 * plane), [3, size, size, 1]),
  };
}

/** Every value of a store's variables, by name. */
async function snapshot(entries: Array<[string, tf.Variable]>): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of entries) out.set(name, (await v.data()) as Float32Array);
  return out;
}

function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name)!;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - other[i]!));
  }
  return worst;
}

async function setUp(emaDecay: number, onTerms?: (terms: SimcvdTerms) => void) {
  const unet = createUNet({ classes: 2, width: 4, seed: 3 });
  const simcvd = createSimcvd(unet, { emaDecay, emaWarmUp: false, unlabelledBatch: 2, projector: { grid: 4, hidden: 8, out: 4 }, augment: noAugmentation, ...(onTerms === undefined ? {} : { onTerms }) });
  const tuner = createFinetuner(unet, { totalSteps: 10, batch: 2, lr: 1e-2, augment: noAugmentation, extension: simcvd });
  const data = smallCase();
  await tuner.setData({ images: data.images, labels: data.labels });
  simcvd.setUnlabelled(data.unlabelled);
  tf.dispose([data.images, data.labels, data.unlabelled]);
  return { unet, simcvd, tuner };
}

describe('SimCVD fine-tuning (mean teacher)', () => {
  it('the optimiser step changes the student only: with the teacher frozen (decay 1) its variables stay exactly as they were', async () => {
    const { unet, simcvd, tuner } = await setUp(1);
    try {
      const teacherBefore = await snapshot(simcvd.teacher.entries());
      const studentBefore = await snapshot([...unet.params.entries(), ...simcvd.heads.entries()]);
      const result = await tuner.steps(1);
      expect(Number.isFinite(result.loss)).toBe(true);
      expect(maxDifference(teacherBefore, await snapshot(simcvd.teacher.entries()))).toBe(0);
      expect(maxDifference(studentBefore, await snapshot([...unet.params.entries(), ...simcvd.heads.entries()]))).toBeGreaterThan(1e-4);
      // The teacher's variables are not trainable, so no tape can differentiate them.
      expect(simcvd.teacher.entries().every(([, v]) => !v.trainable)).toBe(true);
    } finally {
      tuner.dispose();
      unet.dispose();
    }
  });

  it('the teacher is the exponential moving average of the student: t1 = d t0 + (1 - d) s1', async () => {
    const decay = 0.9;
    const { unet, simcvd, tuner } = await setUp(decay);
    try {
      const teacherBefore = await snapshot(simcvd.teacher.entries());
      await tuner.steps(1);
      const studentAfter = await snapshot([...unet.params.entries(), ...simcvd.heads.entries()]);
      const teacherAfter = await snapshot(simcvd.teacher.entries());
      let worst = 0;
      let moved = 0;
      for (const [name, t0] of teacherBefore) {
        const s1 = studentAfter.get(name)!;
        const t1 = teacherAfter.get(name)!;
        for (let i = 0; i < t0.length; i++) {
          worst = Math.max(worst, Math.abs(t1[i]! - (decay * t0[i]! + (1 - decay) * s1[i]!)));
          moved = Math.max(moved, Math.abs(t1[i]! - t0[i]!));
        }
      }
      expect(worst).toBeLessThan(1e-6);
      expect(moved).toBeGreaterThan(1e-6);
      // BN running statistics are averaged as well.
      expect(teacherBefore.has('enc1.bn1.mean')).toBe(true);
    } finally {
      tuner.dispose();
      unet.dispose();
    }
  });

  it('reports each step\'s terms, and the extra loss is their weighted sum with the default weights', async () => {
    const reported: SimcvdTerms[] = [];
    const { unet, tuner } = await setUp(0.99, (t) => reported.push(t));
    try {
      await tuner.steps(3);
      expect(reported).toHaveLength(3);
      for (const t of reported) {
        for (const value of Object.values(t)) expect(Number.isFinite(value)).toBe(true);
        // dice 1, distance 0.1; the unsupervised terms weighted by the ramp: contrast 0.5, distillation 0.1, consistency 0.1.
        const sum = t.dice + 0.1 * t.distance + t.ramp * (0.5 * t.contrast + 0.1 * t.distillation + 0.1 * t.consistency);
        expect(t.extra).toBeCloseTo(sum, 5);
      }
      // The ramp-up of a 10-step cycle at steps 0, 1, 2: exp(-5 (1 - t/10)^2).
      expect(reported.map((t) => t.ramp)).toEqual([0, 1, 2].map((t) => expect.closeTo(Math.exp(-5 * (1 - t / 10) ** 2), 6)));
    } finally {
      tuner.dispose();
      unet.dispose();
    }
  });

  it('the decay warms up as min(d, (1 + t) / (10 + t))', () => {
    expect(teacherDecay(0, 0.99, true)).toBeCloseTo(0.1, 12);
    expect(teacherDecay(90, 0.99, true)).toBeCloseTo(0.91, 12);
    expect(teacherDecay(5000, 0.99, true)).toBe(0.99);
    expect(teacherDecay(0, 0.99, false)).toBe(0.99);
  });

  it('leaks no tensor: a warm-up step leaves the count unchanged, and steps add only the optimiser moments', async () => {
    const { unet, simcvd, tuner } = await setUp(0.99);
    try {
      const before = tf.memory().numTensors;
      await tuner.warmUp(size);
      expect(tf.memory().numTensors).toBe(before);
      await tuner.steps(1);
      const moments = 2 * (unet.params.trainableList().length + simcvd.heads.trainableList().length);
      expect(tf.memory().numTensors).toBe(before + moments);
      await tuner.steps(2);
      expect(tf.memory().numTensors).toBe(before + moments);
    } finally {
      tuner.dispose();
      unet.dispose();
    }
  });

  it('learns from the strokes: after 30 steps the student labels almost every stroked voxel as stroked', async () => {
    const { unet, tuner } = await setUp(0.99);
    const data = smallCase();
    try {
      await tuner.steps(30);
      const predicted = tf.tidy(() => tf.argMax(unet.logits(data.images, inferenceContext()), -1));
      const [guess, truth] = await Promise.all([predicted.data(), data.labels.data()]);
      predicted.dispose();
      let stroked = 0;
      let right = 0;
      truth.forEach((label, i) => {
        if (label < 0) return;
        stroked++;
        if (guess[i] === label) right++;
      });
      expect(right / stroked).toBeGreaterThan(0.95);
    } finally {
      tf.dispose([data.images, data.labels, data.unlabelled]);
      tuner.dispose();
      unet.dispose();
    }
  }, 300_000);
});
