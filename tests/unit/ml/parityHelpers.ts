/**
 * One training-mode forward/backward of a tiny U-Net and of the MACL losses
 * on the active backend, read back for comparison between backends (the
 * WebGPU and WASM parity tests), and the CPU reference they are compared with.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { discardBnStats, trainingContext } from '../../../src-main/ml/batchNorm';
import { maskedCrossEntropy } from '../../../src-main/ml/crossEntropy';
import { maclLosses } from '../../../src-main/ml/maclLosses';
import { makeMaclViews } from '../../../src-main/ml/pretrainer';
import { createRng } from '../../../src-main/ml/random';
import { maclModelFromArtifact, unetFromArtifact, type ParamArtifact } from '../../../src-main/ml/serialize';
import { positiveMaskTensor } from '../../../src-main/ml/supCon';
import { transformBatch } from '../../../src-main/ml/augment';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { exportParams, maclSpecJson, unetSpecJson } from '../../../src-main/ml/serialize';
import { createUNet } from '../../../src-main/ml/unet';

export interface StepNumbers {
  readonly loss: number;
  readonly grads: Map<string, Float32Array>;
}

/** One training-mode forward/backward of a U-Net on the active backend. */
export async function unetStep(artifact: ParamArtifact, x: Float32Array, labels: Int32Array): Promise<StepNumbers> {
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
export async function maclStep(artifact: ParamArtifact, x: Float32Array): Promise<StepNumbers> {
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

export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i += 1) {
    diff = Math.max(diff, Math.abs((a[i] ?? NaN) - (b[i] ?? 0)));
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, 1e-12);
}

export function expectClose(gpu: StepNumbers, cpu: StepNumbers, tolerance: number): void {
  expect(Math.abs(gpu.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(tolerance);
  for (const [name, g] of cpu.grads) {
    // Conv biases right before BN have a true gradient of 0: only rounding noise to compare.
    if (/^(enc|dec)\d\.conv\d\.b$/.test(name)) continue;
    const other = gpu.grads.get(name);
    expect(other, name).toBeDefined();
    expect(relativeError(other!, g), name).toBeLessThan(tolerance);
  }
}

/** What the other backend is compared with: the models as exported, and the CPU path's numbers. */
export interface CpuReference {
  readonly unetArtifact: ParamArtifact;
  readonly maclArtifact: ParamArtifact;
  readonly unet: StepNumbers;
  readonly macl: StepNumbers;
  /** The warped images of `warp`. */
  readonly warp: Float32Array;
}

export interface ReferenceInputs {
  readonly unetWidth: number;
  /** Two 32x32 images and their labels (-1 = unlabelled) for unetStep. */
  readonly x32: Float32Array;
  readonly labels: Int32Array;
  /** Two 64x64 images for maclStep. */
  readonly x64: Float32Array;
  /** `count` 32x32 images and their affine rows for the batched tf.image.transform. */
  readonly warp: { readonly images: Float32Array; readonly count: number; readonly rows: Float32Array };
}

/** Switches to the CPU backend, makes the models (seeded) and computes the reference there. */
export async function cpuReference(inputs: ReferenceInputs): Promise<CpuReference> {
  await tf.setBackend('cpu');
  const unetModel = createUNet({ classes: 3, width: inputs.unetWidth, seed: 5 });
  const maclModel = createMaclModel({ width: 2, seed: 6 });
  const unetArtifact = await exportParams(unetModel.params, unetSpecJson(unetModel));
  const maclArtifact = await exportParams(maclModel.params, maclSpecJson(maclModel));
  unetModel.dispose();
  maclModel.dispose();
  const unet = await unetStep(unetArtifact, inputs.x32, inputs.labels);
  const macl = await maclStep(maclArtifact, inputs.x64);
  const { images, count, rows } = inputs.warp;
  const warped = tf.tidy(() => transformBatch(tf.tensor4d(images, [count, 32, 32, 1]), rows, 'bilinear', 0));
  const warp = (await warped.data()) as Float32Array;
  warped.dispose();
  return { unetArtifact, maclArtifact, unet, macl, warp };
}
