/**
 * The shared U-Net encoder (docs/macl-method.md 1.1): 4 levels of 2 x [conv3x3 (bias) -> BN
 * -> LeakyReLU 0.01] + maxpool 2x2, then the centre conv3x3 8f->16f -> ReLU ->
 * conv3x3 16f->16f -> ReLU with no BN. Parameter names: enc{1..4}.conv{1,2},
 * enc{1..4}.bn{1,2}, centre.conv{1,2}.
 */
import * as tf from '@tensorflow/tfjs';
import { addBatchNorm, batchNorm, type BnContext } from './batchNorm';
import { maxPool2x2 } from './channelOps';
import { addConv, conv, leaky } from './layers';
import type { ParamStore } from './paramStore';
import { levelChannels } from './unetSpec';

/** Parameter-name prefixes of the encoder (transfer copies these). */
export const encoderPrefixes = ['enc1', 'enc2', 'enc3', 'enc4', 'centre'] as const;

/** The encoder's outputs: skips before pooling (c1 at H, ..., c4 at H/8) and the bottleneck at H/16. */
export interface EncoderOutput {
  readonly skips: readonly [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  readonly bottleneck: tf.Tensor4D;
}

/** conv3x3 -> BN -> LeakyReLU: the repeated unit of encoder and decoder. */
export function addConvBnBlock(store: ParamStore, prefix: string, index: number, cin: number, cout: number, seed: number): void {
  addConv(store, `${prefix}.conv${index}`, 3, cin, cout, true, seed);
  addBatchNorm(store, `${prefix}.bn${index}`, cout);
}

/** Runs `${prefix}.conv${index}` -> `${prefix}.bn${index}` -> LeakyReLU 0.01. */
export function convBnBlock(store: ParamStore, prefix: string, index: number, x: tf.Tensor4D, ctx: BnContext): tf.Tensor4D {
  return leaky(batchNorm(store, `${prefix}.bn${index}`, conv(store, `${prefix}.conv${index}`, x), ctx));
}

/** Adds the encoder's parameters. */
export function addEncoder(store: ParamStore, inChannels: number, width: number, seed: number): void {
  const { levels, centre } = levelChannels(width);
  let cin = inChannels;
  levels.forEach((cout, i) => {
    addConvBnBlock(store, `enc${i + 1}`, 1, cin, cout, seed);
    addConvBnBlock(store, `enc${i + 1}`, 2, cout, cout, seed);
    cin = cout;
  });
  addConv(store, 'centre.conv1', 3, cin, centre, true, seed);
  addConv(store, 'centre.conv2', 3, centre, centre, true, seed);
}

/** Runs the encoder on x [B, H, W, C_in] (H, W divisible by 16; checked by callers). */
export function runEncoder(store: ParamStore, x: tf.Tensor4D, ctx: BnContext): EncoderOutput {
  const skips: tf.Tensor4D[] = [];
  let h = x;
  for (let level = 1; level <= 4; level += 1) {
    h = convBnBlock(store, `enc${level}`, 2, convBnBlock(store, `enc${level}`, 1, h, ctx), ctx);
    skips.push(h);
    h = maxPool2x2(h);
  }
  // The centre has plain ReLU and no BN (docs/macl-method.md 1.1, 6.1 item 8).
  const bottleneck = tf.relu(conv(store, 'centre.conv2', tf.relu(conv(store, 'centre.conv1', h))));
  const [c1, c2, c3, c4] = skips;
  if (!c1 || !c2 || !c3 || !c4) throw new Error('runEncoder: missing skip outputs.');
  return { skips: [c1, c2, c3, c4], bottleneck };
}
