import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { noAugmentation } from '../../../src-main/ml/augment';
import { createAdam } from '../../../src-main/ml/adam';
import { createFinetuner } from '../../../src-main/ml/finetuner';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { createFinetuneUNet, transferredNames } from '../../../src-main/ml/transfer';
import type { UNet } from '../../../src-main/ml/unet';
import { useCpu } from './helpers';

beforeAll(useCpu);

/** Two 32x32 slices, half of each stroked as background and half as class 1. */
function halfStroked(): { images: tf.Tensor4D; labels: tf.Tensor3D } {
  return tf.tidy(() => {
    const images = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const labels = tf.concat([tf.zeros([2, 32, 16], 'int32'), tf.ones([2, 32, 16], 'int32')], 2) as tf.Tensor3D;
    return { images, labels };
  });
}

/** Copies of the named trainable parameters. */
function snapshot(unet: UNet, names: readonly string[]): Map<string, Float32Array> {
  const trainable = unet.params.trainable();
  return new Map(names.filter((n) => trainable.has(n)).map((n) => [n, unet.params.get(n).dataSync() as Float32Array]));
}

function changed(before: Map<string, Float32Array>, unet: UNet): string[] {
  return [...before].filter(([name, values]) => {
    const now = unet.params.get(name).dataSync();
    return values.some((v, i) => v !== now[i]);
  }).map(([name]) => name);
}

describe('training the transferred blocks', () => {
  it('keeps the transferred weights fixed for freezeSteps steps while the rest trains, then trains them from step N on', async () => {
    const pretrained = createMaclModel({ width: 2, seed: 3 });
    const unet = createFinetuneUNet({ classes: 2, width: 2, seed: 1 }, pretrained.params);
    pretrained.dispose();
    const names = transferredNames(unet.params);
    expect(names.some((n) => n.startsWith('enc1.'))).toBe(true);
    expect(names.some((n) => n.startsWith('dec3.'))).toBe(false);
    const tuner = createFinetuner(unet, { totalSteps: 10, batch: 2, lr: 1e-2, augment: noAugmentation, transferred: { names, freezeSteps: 3 } });
    const data = halfStroked();
    await tuner.setData(data);
    const transferred = snapshot(unet, names);
    const others = snapshot(unet, unet.params.entries().map(([n]) => n).filter((n) => !names.includes(n)));
    await tuner.steps(3);
    expect(changed(transferred, unet)).toEqual([]);
    expect(changed(others, unet).length).toBe(others.size);
    await tuner.steps(1); // step index 3 = N: unfrozen
    expect(changed(transferred, unet).length).toBe(transferred.size);
    tuner.dispose();
    unet.dispose();
    tf.dispose([data.images, data.labels]);
  });

  it('moves the transferred parameters lrScale times as far on their first step (Adam\'s first step is lr * sign)', () => {
    const a = tf.variable(tf.tensor1d([1, 1]));
    const b = tf.variable(tf.tensor1d([1, 1]));
    const adam = createAdam();
    const grads = { [a.name]: tf.tensor1d([0.3, -2]), [b.name]: tf.tensor1d([0.3, -2]) };
    adam.apply(new Map([['enc1.w', a], ['dec4.w', b]]), grads, 0.1, new Map([['enc1.w', 0.1]]));
    expect(Array.from(a.dataSync())).toEqual([expect.closeTo(1 - 0.01, 6), expect.closeTo(1 + 0.01, 6)]);
    expect(Array.from(b.dataSync())).toEqual([expect.closeTo(1 - 0.1, 6), expect.closeTo(1 + 0.1, 6)]);
    adam.dispose();
    tf.dispose([a, b, ...Object.values(grads)]);
  });

  it('refuses a negative freeze or scale', () => {
    const unet = createFinetuneUNet({ classes: 2, width: 2, seed: 1 }, null);
    expect(() => createFinetuner(unet, { totalSteps: 5, transferred: { names: [], freezeSteps: -1 } })).toThrow(/freezeSteps/);
    expect(() => createFinetuner(unet, { totalSteps: 5, transferred: { names: [], lrScale: -0.5 } })).toThrow(/lrScale/);
    unet.dispose();
  });
});
