/**
 * The WASM code path (both conv gradients as forward convs, XNNPACK kernels,
 * batched tf.image.transform) against the CPU path: one forward and backward
 * step of a tiny U-Net and of the MACL losses on the same weights and inputs,
 * and one fine-tuning step's effect on the weights. WASM is the trainer's
 * processor backend of choice, so this always runs.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomAffineRows, transformBatch } from '../../../src-main/ml/augment';
import { activeChannelOpsPath } from '../../../src-main/ml/channelOps';
import { convGradPathFor } from '../../../src-main/ml/conv2dFastGrad';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { createRng } from '../../../src-main/ml/random';
import { exportParams, maclSpecJson, unetSpecJson, type ParamArtifact } from '../../../src-main/ml/serialize';
import { createUNet } from '../../../src-main/ml/unet';
import { activateBackend } from '../../../src-main/trainer/backends/loadBackend';
import { expectClose, maclStep, relativeError, unetStep, type StepNumbers } from './parityHelpers';

describe('WASM vs CPU', () => {
  const rng = createRng(4);
  const x32 = Float32Array.from({ length: 2 * 32 * 32 }, () => rng.next());
  const labels = Int32Array.from({ length: 2 * 32 * 32 }, () => rng.int(4) - 1);
  const x64 = Float32Array.from({ length: 2 * 64 * 64 }, () => rng.next());
  const rows = randomAffineRows(createRng(9), 3, 32, 32, { probability: 1 });
  const x3 = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i / 7));
  let unetArtifact: ParamArtifact;
  let maclArtifact: ParamArtifact;
  let cpuUnet: StepNumbers;
  let cpuMacl: StepNumbers;
  let cpuWarp: Float32Array;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const unet = createUNet({ classes: 3, width: 4, seed: 5 });
    const macl = createMaclModel({ width: 2, seed: 6 });
    unetArtifact = await exportParams(unet.params, unetSpecJson(unet));
    maclArtifact = await exportParams(macl.params, maclSpecJson(macl));
    unet.dispose();
    macl.dispose();
    cpuUnet = await unetStep(unetArtifact, x32, labels);
    cpuMacl = await maclStep(maclArtifact, x64);
    const warped = tf.tidy(() => transformBatch(tf.tensor4d(x3, [3, 32, 32, 1]), rows, 'bilinear', 0));
    cpuWarp = (await warped.data()) as Float32Array;
    warped.dispose();
    const load = await activateBackend('wasm');
    if (!load.ok) throw new Error(`the WASM backend did not load: ${load.reason}`);
    expect(tf.getBackend()).toBe('wasm');
  }, 60_000);

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a U-Net forward/backward agrees (both conv gradients as forward convs, the WASM channel ops)', async () => {
    expect(convGradPathFor(tf.getBackend())).toBe('forward');
    expect(activeChannelOpsPath()).toBe('wasm');
    expectClose(await unetStep(unetArtifact, x32, labels), cpuUnet, 1e-3);
  });

  it('the MACL losses and their gradients agree', async () => {
    expectClose(await maclStep(maclArtifact, x64), cpuMacl, 1e-3);
  });

  it('the batched tf.image.transform kernel transforms every image of the batch', async () => {
    const warped = tf.tidy(() => transformBatch(tf.tensor4d(x3, [3, 32, 32, 1]), rows, 'bilinear', 0));
    const values = (await warped.data()) as Float32Array;
    warped.dispose();
    expect(relativeError(values, cpuWarp)).toBeLessThan(1e-5);
    // The last image is not left at the fill value (the CPU kernel's bug, see augment.ts).
    expect(values.subarray(2 * 32 * 32).some((v) => v !== 0)).toBe(true);
  });
});
