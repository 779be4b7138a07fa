import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { noAugmentation } from '../../../src-main/ml/augment';
import { createFinetuner } from '../../../src-main/ml/finetuner';
import { globalGradNorm } from '../../../src-main/ml/gradientNorm';
import { createUNet } from '../../../src-main/ml/unet';
import { makePhantom, makeStrokes } from './phantom';
import { scalar, useCpu } from './helpers';

beforeAll(useCpu);

describe('global gradient norm', () => {
  it('is the L2 norm of all gradients together (hand-computed)', async () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0], [4]]), c: tf.tensor1d([12]) };
    const norm = globalGradNorm(grads);
    expect(await scalar(norm)).toBeCloseTo(13, 5);
    tf.dispose([...Object.values(grads), norm]);
  });

  it("is reported with every fine-tuning step: the norm of that step's loss gradient, which a lower rate does not change at the first step", async () => {
    const phantom = makePhantom(32, 4, 2);
    const n = 32 * 32;
    const strokes = makeStrokes(phantom, [1]);
    const data = { images: tf.tensor4d(phantom.volume.data.subarray(n, 2 * n), [1, 32, 32, 1]), labels: tf.tensor3d(strokes.subarray(n, 2 * n), [1, 32, 32], 'int32') };
    const firstNorm = async (lr: number): Promise<number[]> => {
      const unet = createUNet({ classes: 3, width: 2, seed: 3 });
      const tuner = createFinetuner(unet, { totalSteps: 5, batch: 2, seed: 1, lr, augment: noAugmentation });
      await tuner.setData(data);
      const norms = [(await tuner.steps(1)).gradNorm, (await tuner.steps(1)).gradNorm];
      tuner.dispose();
      unet.dispose();
      return norms;
    };
    const [high, low] = [await firstNorm(1e-2), await firstNorm(1e-4)];
    expect(high[0]).toBeGreaterThan(0);
    expect(high[0]).toBeCloseTo(low[0]!, 5); // same weights, same batch
    expect(high[1]).not.toBeCloseTo(low[1]!, 3); // the second step sees weights the rates moved differently
    tf.dispose([data.images, data.labels]);
  });
});
