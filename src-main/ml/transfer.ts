/**
 * Initialising the segmentation U-Net from pre-training (docs/macl-method.md 4.1, 6.1 item
 * 7): the encoder and decoder blocks 1-2 are copied by name, BN running
 * statistics included; blocks 3-4 and the head stay freshly initialised; the
 * projectors are dropped. Unlike the reference (which silently copies only
 * shape-matching tensors) a shape mismatch is an error naming the parameter.
 */
import type * as tf from '@tensorflow/tfjs';
import { encoderPrefixes } from './encoder';
import type { ParamStore } from './paramStore';
import { createUNet, type UNet, type UNetOptions } from './unet';

/** What is transferred: encoder levels, centre, decoder blocks 1-2. */
export const transferPrefixes: readonly string[] = [...encoderPrefixes, 'dec1', 'dec2'];

function underPrefix(name: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => name.startsWith(`${p}.`));
}

/** Any named source of tensors: a live ParamStore or decoded checkpoint tensors. */
export type TensorSource = ParamStore | ReadonlyMap<string, tf.Tensor>;

function lookup(source: TensorSource, name: string): tf.Tensor | undefined {
  if (source instanceof Map) return source.get(name);
  const store = source as ParamStore;
  return store.has(name) ? store.get(name) : undefined;
}

/** Copies every target parameter under `prefixes` from `source`; returns the names copied. */
export function transferParams(target: ParamStore, source: TensorSource, prefixes: readonly string[] = transferPrefixes): string[] {
  const names = target.entries().filter(([name]) => underPrefix(name, prefixes));
  const problems: string[] = [];
  for (const [name, variable] of names) {
    const value = lookup(source, name);
    if (value === undefined) problems.push(`"${name}" is missing`);
    else if (value.shape.join() !== variable.shape.join()) problems.push(`"${name}" is [${value.shape.join(', ')}] in the pre-trained model but [${variable.shape.join(', ')}] here (different width or input channels?)`);
  }
  if (problems.length > 0) throw new Error(`transferParams: cannot initialise from the pre-trained model: ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? `; and ${problems.length - 4} more` : ''}.`);
  for (const [name, variable] of names) {
    const value = lookup(source, name);
    if (value !== undefined) variable.assign(value);
  }
  return names.map(([name]) => name);
}

/** The names of the parameters of `params` that a transfer copies (encoder, decoder blocks 1-2, BN statistics included). */
export function transferredNames(params: ParamStore, prefixes: readonly string[] = transferPrefixes): string[] {
  return params.entries().filter(([name]) => underPrefix(name, prefixes)).map(([name]) => name);
}

/** A fine-tuning U-Net: from scratch when `pretrained` is null, else with encoder + decoder 1-2 transferred. */
export function createFinetuneUNet(options: UNetOptions, pretrained: TensorSource | null): UNet {
  const unet = createUNet(options);
  if (pretrained === null) return unet;
  try {
    transferParams(unet.params, pretrained);
  } catch (thrown) {
    unet.dispose();
    throw thrown;
  }
  return unet;
}
