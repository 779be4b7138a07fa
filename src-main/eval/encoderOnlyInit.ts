/**
 * Transferring the pre-trained encoder only (issue 16, "which blocks are kept"): the fine-tuning
 * U-Net starts from the pre-trained encoder levels and centre, while decoder blocks 1-2 keep the
 * fresh initialisation that a scratch run of the same seed draws. transferParams copies encoder and
 * decoder 1-2 together, so this builds the tensors it copies: the pre-trained encoder's and a fresh
 * U-Net's decoder 1-2 (the Kaiming init is seeded per block, so those equal scratch's at the seed,
 * whatever the number of classes).
 */
import * as tf from '@tensorflow/tfjs';
import { encoderPrefixes } from '../ml/encoder';
import { transferredNames } from '../ml/transfer';
import { createUNet } from '../ml/unet';

function isEncoderParam(name: string): boolean {
  return encoderPrefixes.some((p) => name.startsWith(`${p}.`));
}

/** Copies of the encoder's tensors from `pretrained` and of a fresh seed-`seed` U-Net's decoder 1-2; the caller disposes them. */
export function encoderOnlyInit(pretrained: ReadonlyMap<string, tf.Tensor>, width: number, seed: number): Map<string, tf.Tensor> {
  const fresh = createUNet({ classes: 2, width, seed });
  try {
    const init = new Map<string, tf.Tensor>();
    for (const name of transferredNames(fresh.params)) {
      const value = isEncoderParam(name) ? pretrained.get(name) : fresh.params.get(name);
      if (value === undefined) {
        for (const tensor of init.values()) tensor.dispose();
        throw new Error(`encoderOnlyInit: "${name}" is missing from the pre-trained model.`);
      }
      init.set(name, tf.clone(value));
    }
    return init;
  } finally {
    fresh.dispose();
  }
}
