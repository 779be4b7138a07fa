/**
 * The hand-written WebGPU training kernels (src-main/ml/tfjsPatches) and the small
 * upload path (tfjsPatches/webgpuSmallUploads.ts) against tfjs's own ops, on SwiftShader
 * (a CPU Vulkan driver; skipped with a printed reason where Debian's chromium
 * or Electron does not ship vk_swiftshader_icd.json). Shapes are chosen to
 * leave partial tiles and chunks: K, Co and M not multiples of 32.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../src-main/ml/adam';
import { conv2dFilterGradWebgpu, splitPlan } from '../../../src-main/ml/tfjsPatches/filterGrad';
import { allTfjsPatches, installTfjsPatches } from '../../../src-main/ml/tfjsPatches/installTfjsPatches';
import { setWebgpuKernels, useWebgpuKernel, webgpuKernelNames } from '../../../src-main/ml/tfjsPatches/kernelChoice';
import { createRng } from '../../../src-main/ml/random';
import { activateBackend } from '../../../src-main/trainer/backends/loadBackend';
import { findSwiftShaderIcd } from '../../../src-main/trainer/backends/swiftShaderIcd';
import { relativeError } from './parityHelpers';

const icd = findSwiftShaderIcd();
if (icd === null) console.warn('Skipping the WebGPU kernel tests: no SwiftShader Vulkan ICD on this machine (set MACL_SWIFTSHADER_ICD or install chromium).');

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1), shape);
}

describe('splitPlan', () => {
  it('covers M with chunks that are multiples of the tile and no empty split', () => {
    for (const [m, k, co] of [[524_288, 288, 32], [2048, 4608, 512], [37, 9, 4], [100_000, 27, 3]] as const) {
      const plan = splitPlan(m, k, co);
      expect(plan.chunk % 32).toBe(0);
      expect(plan.splits * plan.chunk).toBeGreaterThanOrEqual(m);
      expect((plan.splits - 1) * plan.chunk).toBeLessThan(m);
    }
  });
});

describe.skipIf(icd === null)(`WebGPU training kernels on SwiftShader (${icd ?? 'skipped'})`, () => {
  beforeAll(async () => {
    const load = await activateBackend('webgpu-swiftshader');
    if (!load.ok) throw new Error(`SwiftShader WebGPU did not load: ${load.reason}`);
    expect(tf.getBackend()).toBe('webgpu');
  }, 120_000);

  afterAll(async () => {
    setWebgpuKernels(webgpuKernelNames);
    await tf.setBackend('cpu');
  });

  it.each([
    { n: 2, h: 9, w: 7, ci: 5, co: 3, k: 3 },
    { n: 3, h: 16, w: 12, ci: 33, co: 40, k: 3 },
    { n: 2, h: 5, w: 6, ci: 4, co: 6, k: 1 },
  ])('the split-K filter gradient equals tfjs Conv2DBackpropFilter ($n x $h x $w x $ci -> $co, k $k)', async ({ n, h, w, ci, co, k }) => {
    const x = random([n, h, w, ci], 1) as tf.Tensor4D;
    const dy = random([n, h, w, co], 2) as tf.Tensor4D;
    const ours = conv2dFilterGradWebgpu(x, dy, k);
    // tfjs's own gradient of sum(conv(x, f) * dy) with respect to f is its Conv2DBackpropFilter of x and dy.
    const theirs = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 1, 'same'), dy)))(tf.zeros([k, k, ci, co]));
    expect(ours.shape).toEqual([k, k, ci, co]);
    expect(relativeError((await ours.data()) as Float32Array, (await theirs.data()) as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([x, dy, ours, theirs]);
  }, 60_000);

  it('fused Adam gives the weights and moments of the tensor-op Adam over several steps', async () => {
    const run = async (kernels: readonly ('adam' | 'filtergrad')[]): Promise<Float32Array[]> => {
      setWebgpuKernels(kernels);
      const w = tf.variable(random([3, 3, 4, 5], 3), true, `adamTest${kernels.length}`);
      const adam = createAdam({ weightDecay: 1e-2 });
      for (let step = 0; step < 4; step += 1) {
        const grad = random([3, 3, 4, 5], 10 + step);
        adam.apply(new Map([['w', w]]), { [w.name]: grad }, 1e-2);
        grad.dispose();
      }
      const out = [(await w.data()) as Float32Array, ...(await Promise.all([...adam.state().values()].map(async (t) => (await t.data()) as Float32Array)))];
      adam.dispose();
      w.dispose();
      return out;
    };
    const fused = await run(['adam']);
    expect(useWebgpuKernel('adam')).toBe(true);
    const plain = await run([]);
    expect(fused).toHaveLength(3);
    fused.forEach((values, i) => expect(relativeError(values, plain[i] as Float32Array)).toBeLessThan(1e-5));
  }, 60_000);

  it('the fused Adam warm-up runs its kernels and changes neither weights nor moments', async () => {
    setWebgpuKernels(['adam']);
    const w = tf.variable(random([3, 3, 4, 5], 5), true, 'adamWarmUp');
    const adam = createAdam({ weightDecay: 1e-2 });
    const grad = random([3, 3, 4, 5], 6);
    const params = new Map([['w', w]]);
    adam.apply(params, { [w.name]: grad }, 1e-2);
    const snapshot = async (): Promise<number[][]> => Promise.all([w, ...adam.state().values()].map(async (t) => Array.from(await t.data())));
    const before = await snapshot();
    adam.warmUp(params, { [w.name]: grad });
    expect(await snapshot()).toEqual(before);
    expect(adam.steps).toBe(1);
    tf.dispose([w, grad]);
    adam.dispose();
  }, 60_000);

  it('small tensors made on the CPU keep their values on the GPU (float, int32, bool, scalar)', async () => {
    expect(Reflect.get(Object.getPrototypeOf(tf.backend()) as object, Symbol.for('macl.webgpuSmallUploads'))).toBe(true);
    const floats = tf.tensor1d([1.5, -2.25, 3e-8, 1e30]);
    const ints = tf.tensor1d([7, -3, 1 << 30, 0], 'int32');
    const bools = tf.tensor1d([true, false, true], 'bool');
    // Each goes through a GPU kernel, so it must be uploaded first.
    const sums = [tf.add(floats, tf.scalar(0.5)), tf.add(ints, tf.scalar(1, 'int32')), tf.logicalNot(bools), tf.mul(tf.fill([2048], 2), tf.scalar(3))];
    expect(Array.from(await sums[0]!.data())).toEqual([2, -1.75, 0.5 + 3e-8, 1e30].map(Math.fround));
    expect(Array.from(await sums[1]!.data())).toEqual([8, -2, (1 << 30) + 1, 1]);
    expect(Array.from(await sums[2]!.data())).toEqual([0, 1, 0]);
    expect(new Set(await sums[3]!.data())).toEqual(new Set([6]));
    tf.dispose([floats, ints, bools, ...sums]);
  }, 60_000);

  it('switched off, small uploads take tfjs\'s own path again, with the same values', async () => {
    const proto = Object.getPrototypeOf(tf.backend()) as object;
    const patched = Symbol.for('macl.webgpuSmallUploads');
    expect(installTfjsPatches({ ...allTfjsPatches, smallUploads: false })).toEqual([]);
    expect(Reflect.get(proto, patched)).toBeUndefined();
    const stock = tf.add(tf.tensor1d([1.5, -2.25]), tf.scalar(0.5));
    expect(Array.from(await stock.data())).toEqual([2, -1.75]);
    expect(installTfjsPatches()).toEqual([]);
    expect(Reflect.get(proto, patched)).toBe(true);
    tf.dispose(stock);
  }, 60_000);
});
