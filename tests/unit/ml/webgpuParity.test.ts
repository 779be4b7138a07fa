/**
 * The WebGPU code path (stock gradients, batched tf.image.transform) against
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
import { discardBnStats, trainingContext } from '../../../src-main/ml/batchNorm';
import { activeChannelOpsPath } from '../../../src-main/ml/channelOps';
import { maskedCrossEntropy } from '../../../src-main/ml/crossEntropy';
import { maclLosses } from '../../../src-main/ml/maclLosses';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { makeMaclViews } from '../../../src-main/ml/pretrainer';
import { createRng } from '../../../src-main/ml/random';
import { exportParams, maclModelFromArtifact, maclSpecJson, unetFromArtifact, unetSpecJson, type ParamArtifact } from '../../../src-main/ml/serialize';
import { positiveMaskTensor } from '../../../src-main/ml/supCon';
import { createUNet } from '../../../src-main/ml/unet';
import { activateBackend } from '../../../src-main/trainer/backends/loadBackend';
import { findSwiftShaderIcd } from '../../../src-main/trainer/backends/swiftShaderIcd';

tf.env().set('IS_TEST', true);

const icd = findSwiftShaderIcd();
if (icd === null) console.warn('Skipping the WebGPU (SwiftShader) vs CPU parity test: no SwiftShader Vulkan ICD on this machine (set MACL_SWIFTSHADER_ICD or install chromium).');

interface StepNumbers {
  readonly loss: number;
  readonly grads: Map<string, Float32Array>;
}

/** One training-mode forward/backward of a U-Net on the active backend. */
async function unetStep(artifact: ParamArtifact, x: Float32Array, labels: Int32Array): Promise<StepNumbers> {
  const unet = unetFromArtifact(artifact);
  const input = tf.tensor4d(x, [2, 32, 32, 1]);
  const target = tf.tensor3d(labels, [2, 32, 32], 'int32');
  const ctx = trainingContext();
  const { value, grads } = tf.variableGrads(() => maskedCrossEntropy(unet.logits(input, ctx), target).loss, unet.params.trainableList());
  discardBnStats(ctx);
  const out = new Map<string, Float32Array>();
  for (const [name, v] of unet.params.trainable()) {
    const g = grads[v.name];
    if (g) out.set(name, (await g.data()) as Float32Array);
  }
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([input, target, value, ...Object.values(grads)]);
  unet.dispose();
  return { loss, grads: out };
}

/** The MACL losses (no augmentation: both backends see the same views) and their gradients. */
async function maclStep(artifact: ParamArtifact, x: Float32Array): Promise<StepNumbers> {
  const model = maclModelFromArtifact(artifact);
  const images = tf.tensor4d(x, [2, 64, 64, 1]);
  const views = makeMaclViews(images, createRng(1), { flip: false, probability: 0 });
  const mask = positiveMaskTensor([0.3, 0.8]);
  const ctx = trainingContext();
  const { value, grads } = tf.variableGrads(() => maclLosses(model.forward(views, ctx), mask).total, model.params.trainableList());
  discardBnStats(ctx);
  const out = new Map<string, Float32Array>();
  for (const name of ['enc1.conv1.w', 'centre.conv2.w', 'dec2.conv2.w', 'auxPix.conv1.w', 'auxIns.fc1.w', 'domIns.fc2.w']) {
    const g = grads[model.params.get(name).name];
    if (g) out.set(name, (await g.data()) as Float32Array);
  }
  const loss = (await value.data())[0] ?? NaN;
  tf.dispose([images, views.aux, views.auxVaried, views.dom, views.domVaried, mask, value, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: out };
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i += 1) {
    diff = Math.max(diff, Math.abs((a[i] ?? NaN) - (b[i] ?? 0)));
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, 1e-12);
}

function expectClose(gpu: StepNumbers, cpu: StepNumbers, tolerance: number): void {
  expect(Math.abs(gpu.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(tolerance);
  for (const [name, g] of cpu.grads) {
    // Conv biases right before BN have a true gradient of 0: only rounding noise to compare.
    if (/^(enc|dec)\d\.conv\d\.b$/.test(name)) continue;
    const other = gpu.grads.get(name);
    expect(other, name).toBeDefined();
    expect(relativeError(other!, g), name).toBeLessThan(tolerance);
  }
}

describe.skipIf(icd === null)(`WebGPU on SwiftShader vs CPU (${icd ?? 'skipped: no SwiftShader ICD'})`, () => {
  const rng = createRng(3);
  const x32 = Float32Array.from({ length: 2 * 32 * 32 }, () => rng.next());
  const labels = Int32Array.from({ length: 2 * 32 * 32 }, () => rng.int(4) - 1);
  const x64 = Float32Array.from({ length: 2 * 64 * 64 }, () => rng.next());
  let unetArtifact: ParamArtifact;
  let maclArtifact: ParamArtifact;
  let cpuUnet: StepNumbers;
  let cpuMacl: StepNumbers;
  let cpuWarp: Float32Array;
  const rows = randomAffineRows(createRng(9), 2, 32, 32, { probability: 1 });

  beforeAll(async () => {
    await tf.setBackend('cpu');
    expect(activeChannelOpsPath()).toBe('fast');
    const unet = createUNet({ classes: 3, width: 2, seed: 5 });
    const macl = createMaclModel({ width: 2, seed: 6 });
    unetArtifact = await exportParams(unet.params, unetSpecJson(unet));
    maclArtifact = await exportParams(macl.params, maclSpecJson(macl));
    unet.dispose();
    macl.dispose();
    cpuUnet = await unetStep(unetArtifact, x32, labels);
    cpuMacl = await maclStep(maclArtifact, x64);
    const warped = tf.tidy(() => transformBatch(tf.tensor4d(x32, [2, 32, 32, 1]), rows, 'bilinear', 0));
    cpuWarp = (await warped.data()) as Float32Array;
    warped.dispose();
    const load = await activateBackend('webgpu-swiftshader');
    if (!load.ok) throw new Error(`SwiftShader WebGPU did not load: ${load.reason}`);
    expect(tf.getBackend()).toBe('webgpu');
  }, 120_000);

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a U-Net forward/backward agrees (stock gradients on WebGPU, fast ones on CPU)', async () => {
    expect(activeChannelOpsPath()).toBe('stock');
    expectClose(await unetStep(unetArtifact, x32, labels), cpuUnet, 2e-3);
  }, 120_000);

  it('the MACL losses and their gradients agree', async () => {
    expectClose(await maclStep(maclArtifact, x64), cpuMacl, 2e-3);
  }, 120_000);

  it('the batched tf.image.transform kernel transforms every image', async () => {
    const warped = tf.tidy(() => transformBatch(tf.tensor4d(x32, [2, 32, 32, 1]), rows, 'bilinear', 0));
    expect(relativeError((await warped.data()) as Float32Array, cpuWarp)).toBeLessThan(1e-5);
    warped.dispose();
  }, 60_000);
});
