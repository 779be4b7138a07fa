/**
 * The WebGPU code path (its conv gradient path, tfjsPatches/filterGrad.ts by default; batched tf.image.transform) against
 * the CPU path (fast custom gradients, per-image transform): one forward and
 * backward step of a tiny U-Net and of the MACL losses on the same weights
 * and inputs. WebGPU runs on SwiftShader (a CPU Vulkan driver), so this runs
 * where Debian's chromium (or Electron) ships vk_swiftshader_icd.json, and is
 * skipped with a printed reason elsewhere. Backends are global per process;
 * vitest runs each test file in its own worker, so switching here is safe.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomAffineRows, transformBatch } from '../../../src-main/ml/augment';
import { activeChannelOpsPath } from '../../../src-main/ml/channelOps';
import { createRng } from '../../../src-main/ml/random';
import { activateBackend } from '../../../src-main/trainer/backends/loadBackend';
import { findSwiftShaderIcd } from '../../../src-main/trainer/backends/swiftShaderIcd';
import { cpuReference, expectClose, maclStep, relativeError, unetStep, type CpuReference } from './parityHelpers';

tf.env().set('IS_TEST', true);

const icd = findSwiftShaderIcd();
if (icd === null) console.warn('Skipping the WebGPU (SwiftShader) vs CPU parity test: no SwiftShader Vulkan ICD on this machine (set MACL_SWIFTSHADER_ICD or install chromium).');

describe.skipIf(icd === null)(`WebGPU on SwiftShader vs CPU (${icd ?? 'skipped: no SwiftShader ICD'})`, () => {
  const rng = createRng(3);
  const x32 = Float32Array.from({ length: 2 * 32 * 32 }, () => rng.next());
  const labels = Int32Array.from({ length: 2 * 32 * 32 }, () => rng.int(4) - 1);
  const x64 = Float32Array.from({ length: 2 * 64 * 64 }, () => rng.next());
  let reference: CpuReference;
  const rows = randomAffineRows(createRng(9), 2, 32, 32, { probability: 1 });

  beforeAll(async () => {
    reference = await cpuReference({ unetWidth: 2, x32, labels, x64, warp: { images: x32, count: 2, rows } });
    expect(activeChannelOpsPath()).toBe('fast');
    const load = await activateBackend('webgpu-swiftshader');
    if (!load.ok) throw new Error(`SwiftShader WebGPU did not load: ${load.reason}`);
    expect(tf.getBackend()).toBe('webgpu');
  }, 120_000);

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a U-Net forward/backward agrees (the WebGPU gradient path, fast ones on CPU)', async () => {
    expect(activeChannelOpsPath()).toBe('stock');
    expectClose(await unetStep(reference.unetArtifact, x32, labels), reference.unet, 2e-3);
  }, 120_000);

  it('the MACL losses and their gradients agree', async () => {
    expectClose(await maclStep(reference.maclArtifact, x64), reference.macl, 2e-3);
  }, 120_000);

  it('the batched tf.image.transform kernel transforms every image', async () => {
    const warped = tf.tidy(() => transformBatch(tf.tensor4d(x32, [2, 32, 32, 1]), rows, 'bilinear', 0));
    expect(relativeError((await warped.data()) as Float32Array, reference.warp)).toBeLessThan(1e-5);
    warped.dispose();
  }, 60_000);
});
