/**
 * U-Net decoder blocks (docs/macl-method.md 1.1): ConvTranspose 2x2 s2 halving the channels
 * -> concat the encoder skip -> 2 x [conv3x3 -> BN -> LeakyReLU]. Block 1 goes
 * 16f -> 8f (H/8), block 2 8f -> 4f (H/4), block 3 4f -> 2f (H/2), block 4
 * 2f -> f (H). Names: dec{i}.up, dec{i}.conv{1,2}, dec{i}.bn{1,2}; head.w.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, type BnContext } from './batchNorm';
import { activeChannelOpsPath, biasAdd } from './channelOps';
import { conv2dSame } from './conv2dFastGrad';
import { addConvBnBlock, convBnBlock, type EncoderOutput } from './encoder';
import { addConv, addConvTranspose2x2, conv, convTranspose2x2, leaky } from './layers';
import type { ParamStore } from './paramStore';
import { levelChannels } from './unetSpec';

/** Decoder block numbers, 1 (deepest) to 4. */
export type DecoderBlock = 1 | 2 | 3 | 4;

/** Output channels of decoder block i: the channels of encoder level 5 - i. */
export function decoderChannels(width: number, block: DecoderBlock): number {
  return levelChannels(width).levels[4 - block] ?? 0;
}

/** Adds decoder block `block`'s parameters. */
export function addDecoderBlock(store: ParamStore, width: number, block: DecoderBlock, seed: number): void {
  const cout = decoderChannels(width, block);
  const cin = 2 * cout;
  addConvTranspose2x2(store, `dec${block}.up`, cin, cout, seed);
  addConvBnBlock(store, `dec${block}`, 1, cin, cout, seed); // input = upsampled (cout) ++ skip (cout)
  addConvBnBlock(store, `dec${block}`, 2, cout, cout, seed);
}

/** Runs one block on x with the matching skip (block i uses skip c_{5-i}). */
export function runDecoderBlock(store: ParamStore, block: DecoderBlock, x: tf.Tensor4D, skip: tf.Tensor4D, ctx: BnContext): tf.Tensor4D {
  const up = convTranspose2x2(store, `dec${block}.up`, x);
  // Sizes always match here (inputs are multiples of 16), so the reference's centre-crop is a no-op.
  const first = leaky(batchNorm(store, `dec${block}.bn1`, convOfConcat(store, `dec${block}.conv1`, up, skip), ctx));
  return convBnBlock(store, `dec${block}`, 2, first, ctx);
}

/**
 * conv(concat([a, b], channels)) with the filter's input channels in the
 * same order. On the fast (CPU) path it is computed as conv(a, W_a) +
 * conv(b, W_b): the same MACs, but no concat, whose gradient (a split along
 * the channel axis) took 300 ms for 8x64x64x16 on the CPU backend.
 */
export function convOfConcat(store: ParamStore, name: string, a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  if (activeChannelOpsPath() === 'stock') return conv(store, name, tf.concat([a, b], 3));
  const w = store.get(`${name}.w`) as tf.Tensor4D;
  const [k, , cin, cout] = w.shape;
  const ca = a.shape[3];
  if (ca + b.shape[3] !== cin) throw new Error(`convOfConcat ${name}: the filter takes ${cin} channels, got ${ca} + ${b.shape[3]}.`);
  const wa = tf.slice(w, [0, 0, 0, 0], [k, k, ca, cout]) as tf.Tensor4D;
  const wb = tf.slice(w, [0, 0, ca, 0], [k, k, cin - ca, cout]) as tf.Tensor4D;
  const y: tf.Tensor4D = tf.add(conv2dSame(a, wa), conv2dSame(b, wb));
  return store.has(`${name}.b`) ? biasAdd(y, store.get(`${name}.b`)) : y;
}

/** Runs blocks 1..`depth` on an encoder output; returns the last block's features. */
export function runDecoder(store: ParamStore, encoded: EncoderOutput, depth: DecoderBlock, ctx: BnContext): tf.Tensor4D {
  let h = encoded.bottleneck;
  for (let block = 1; block <= depth; block += 1) {
    const skip = encoded.skips[4 - block];
    if (skip === undefined) throw new Error(`runDecoder: no skip for block ${block}.`);
    h = runDecoderBlock(store, block as DecoderBlock, h, skip, ctx);
  }
  return h;
}

/** Adds the 1x1 segmentation head f -> K, without bias (docs/macl-method.md 1.1). */
export function addHead(store: ParamStore, width: number, classes: number, seed: number): void {
  addConv(store, 'head', 1, width, classes, false, seed);
}

/** Logits [B, H, W, K] from block 4's features. */
export function runHead(store: ParamStore, features: tf.Tensor4D): tf.Tensor4D {
  return conv(store, 'head', features);
}
