/**
 * The segmentation U-Net used for fine-tuning and inference (docs/macl-method.md 1.1 and
 * 4.1): encoder + 4 decoder blocks + 1x1 head, NHWC, returning logits.
 */
import * as tf from '@tensorflow/tfjs';
import type { BnContext } from './batchNorm';
import { addDecoderBlock, addHead, runDecoder, runHead } from './decoder';
import { addEncoder, runEncoder } from './encoder';
import { ParamStore } from './paramStore';
import { checkInput, checkUNetSpec, defaultWidth, unetDivisor, type UNetSpec } from './unetSpec';

/** A U-Net and its parameters. */
export interface UNet {
  readonly spec: UNetSpec;
  readonly params: ParamStore;
  /** Logits [B, H, W, K] for x [B, H, W, C_in] (H, W multiples of 16). */
  logits(x: tf.Tensor4D, ctx: BnContext): tf.Tensor4D;
  dispose(): void;
}

/** Options of createUNet; only classes is required. */
export interface UNetOptions {
  readonly classes: number;
  readonly inChannels?: number;
  readonly width?: number;
  /** Seed of the Kaiming init (same seed, same weights). */
  readonly seed?: number;
}

/** Builds a U-Net with fresh Kaiming-initialised weights. */
export function createUNet(options: UNetOptions): UNet {
  const spec: UNetSpec = { inChannels: options.inChannels ?? 1, width: options.width ?? defaultWidth, classes: options.classes };
  checkUNetSpec(spec, 'createUNet');
  const seed = options.seed ?? 1;
  const params = new ParamStore();
  addEncoder(params, spec.inChannels, spec.width, seed);
  for (const block of [1, 2, 3, 4] as const) addDecoderBlock(params, spec.width, block, seed);
  addHead(params, spec.width, spec.classes, seed);
  return {
    spec,
    params,
    logits(x, ctx) {
      checkInput('UNet.logits', x.shape, spec.inChannels, unetDivisor, ctx.training ? 2 : 1);
      return tf.tidy(() => runHead(params, runDecoder(params, runEncoder(params, x, ctx), 4, ctx)));
    },
    dispose: () => params.dispose(),
  };
}
