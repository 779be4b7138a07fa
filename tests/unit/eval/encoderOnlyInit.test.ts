import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encoderOnlyInit } from '../../../src-main/eval/encoderOnlyInit';
import { transferParams, transferredNames } from '../../../src-main/ml/transfer';
import { createUNet } from '../../../src-main/ml/unet';
import { useCpu } from '../ml/helpers';

beforeAll(useCpu);

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('encoderOnlyInit', () => {
  it("takes the encoder from the pre-trained model and decoder 1-2 as scratch draws them at the seed", () => {
    const pretrained = createUNet({ classes: 2, width: 2, seed: 77 });
    const pretrainedTensors = new Map(pretrained.params.entries().map(([name, v]) => [name, v as tf.Tensor] as const));
    const before = tf.memory().numTensors;
    const init = encoderOnlyInit(pretrainedTensors, 2, 5);
    // A scratch run of seed 5 (three classes: decoder blocks do not depend on the head).
    const scratch = createUNet({ classes: 3, width: 2, seed: 5 });
    expect([...init.keys()].sort()).toEqual(transferredNames(scratch.params).sort());
    const encoderName = [...init.keys()].find((n) => n.startsWith('enc1.'));
    const decoderName = [...init.keys()].find((n) => n.startsWith('dec1.'));
    expect(encoderName).toBeDefined();
    expect(decoderName).toBeDefined();
    if (encoderName === undefined || decoderName === undefined) return;
    expect(values(init.get(encoderName) as tf.Tensor)).toEqual(values(pretrained.params.get(encoderName)));
    expect(values(init.get(encoderName) as tf.Tensor)).not.toEqual(values(scratch.params.get(encoderName)));
    expect(values(init.get(decoderName) as tf.Tensor)).toEqual(values(scratch.params.get(decoderName)));
    expect(values(init.get(decoderName) as tf.Tensor)).not.toEqual(values(pretrained.params.get(decoderName)));
    // It is what transferParams copies, so a fine-tuning U-Net accepts it.
    expect(transferParams(scratch.params, init).length).toBe(init.size);
    scratch.dispose();
    for (const t of init.values()) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    pretrained.dispose();
  });

  it('names a parameter the pre-trained model lacks and leaks nothing', () => {
    const pretrained = createUNet({ classes: 2, width: 2, seed: 77 });
    const partial = new Map(pretrained.params.entries().filter(([name]) => !name.startsWith('enc2.')).map(([name, v]) => [name, v as tf.Tensor] as const));
    const before = tf.memory().numTensors;
    expect(() => encoderOnlyInit(partial, 2, 1)).toThrow(/"enc2\./);
    expect(tf.memory().numTensors).toBe(before);
    pretrained.dispose();
  });
});
