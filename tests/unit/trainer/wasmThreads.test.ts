/**
 * The WASM backend on worker threads (tfjs's threaded build, started by
 * wasmThreadedModule.ts) against the single-threaded build: one U-Net
 * forward/backward step and a short fine-tune give the same numbers within
 * float tolerance (XNNPACK splits the work differently, so sums may round
 * differently), no step leaks tensors, and the pool's threads end when the
 * backend is removed.
 */
import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinetuner } from '../../../src-main/ml/finetuner';
import { createRng } from '../../../src-main/ml/random';
import { exportParams, unetFromArtifact, unetSpecJson, type ParamArtifact } from '../../../src-main/ml/serialize';
import { createUNet } from '../../../src-main/ml/unet';
import { loadWasm } from '../../../src-main/trainer/backends/loadWasm';
import { defaultWasmThreads, wasmMaxThreads, wasmThreadsSetting } from '../../../src-main/trainer/backends/wasmThreadsSetting';
import { expectClose, relativeError, unetStep, type StepNumbers } from '../ml/parityHelpers';

describe('wasmThreadsSetting', () => {
  it('defaults to every processor thread, within the backend cap', () => {
    expect(wasmThreadsSetting({}, 2)).toEqual({ threads: 2, problem: null });
    expect(wasmThreadsSetting({}, 16)).toEqual({ threads: wasmMaxThreads, problem: null });
    expect(defaultWasmThreads(1)).toBe(1);
  });

  it('takes MACL_WASM_THREADS, and says why when it cannot', () => {
    expect(wasmThreadsSetting({ MACL_WASM_THREADS: '3' }, 16)).toEqual({ threads: 3, problem: null });
    expect(wasmThreadsSetting({ MACL_WASM_THREADS: ' ' }, 4).threads).toBe(4);
    const bad = wasmThreadsSetting({ MACL_WASM_THREADS: 'two' }, 4);
    expect(bad.threads).toBe(4);
    expect(bad.problem).toMatch(/MACL_WASM_THREADS.*"two"/);
    expect(wasmThreadsSetting({ MACL_WASM_THREADS: '0' }, 4).problem).not.toBeNull();
    const many = wasmThreadsSetting({ MACL_WASM_THREADS: '64' }, 4);
    expect(many).toEqual({ threads: wasmMaxThreads, problem: expect.stringMatching(/at most 8/) as unknown });
  });
});

/** Operating-system threads of this process (Linux: /proc/self/task). */
function osThreads(): number {
  return readdirSync('/proc/self/task').length;
}

async function useWasmThreads(threads: number): Promise<string> {
  const load = await loadWasm({ threads });
  if (!load.ok) throw new Error(`the WASM backend did not load: ${load.reason}`);
  expect(await tf.setBackend('wasm')).toBe(true);
  await tf.ready();
  return load.device;
}

interface TuneResult {
  readonly losses: number[];
  readonly weights: Float32Array;
}

/** Five fine-tuning steps from the same weights and data; returns the losses and one trained filter. */
async function shortFinetune(artifact: ParamArtifact): Promise<TuneResult> {
  const rng = createRng(11);
  const unet = unetFromArtifact(artifact);
  const images = tf.tensor4d(Float32Array.from({ length: 4 * 32 * 32 }, () => rng.next()), [4, 32, 32, 1]);
  const labels = tf.tensor3d(Int32Array.from({ length: 4 * 32 * 32 }, () => rng.int(4) - 1), [4, 32, 32], 'int32');
  const tuner = createFinetuner(unet, { totalSteps: 5, batch: 2, lr: 1e-2, seed: 3 });
  await tuner.setData({ images, labels });
  tf.dispose([images, labels]);
  const losses: number[] = [];
  await tuner.steps(1, (r) => losses.push(r.loss));
  // The first step creates the optimiser's moments; later steps must not add tensors.
  const before = tf.memory().numTensors;
  await tuner.steps(4, (r) => losses.push(r.loss));
  expect(tf.memory().numTensors, 'tensors after four more steps').toBe(before);
  const weights = (await unet.params.get('enc1.conv1.w').data()) as Float32Array;
  tuner.dispose();
  unet.dispose();
  return { losses, weights };
}

describe('WASM on two threads vs one', () => {
  const rng = createRng(4);
  const x32 = Float32Array.from({ length: 2 * 32 * 32 }, () => rng.next());
  const labels = Int32Array.from({ length: 2 * 32 * 32 }, () => rng.int(4) - 1);
  let artifact: ParamArtifact;
  let single: StepNumbers;
  let singleTune: TuneResult;
  let threadsBefore = 0;
  let device = '';

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const unet = createUNet({ classes: 3, width: 8, seed: 5 });
    artifact = await exportParams(unet.params, unetSpecJson(unet));
    unet.dispose();
    expect(await useWasmThreads(1)).toMatch(/WebAssembly SIMD, 1 thread\b/);
    single = await unetStep(artifact, x32, labels);
    singleTune = await shortFinetune(artifact);
    threadsBefore = osThreads();
    device = await useWasmThreads(2);
  }, 120_000);

  afterAll(async () => {
    await loadWasm({ threads: 1 });
    await tf.setBackend('cpu');
  });

  it('runs two threads and says so in its device name', () => {
    expect(device).toMatch(/WebAssembly SIMD, 2 threads\b/);
    expect(osThreads()).toBeGreaterThan(threadsBefore);
  });

  it('a U-Net forward/backward agrees and leaks no tensor', async () => {
    await unetStep(artifact, x32, labels); // warm-up: the leak check below counts a steady state
    const before = tf.memory().numTensors;
    expectClose(await unetStep(artifact, x32, labels), single, 1e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a short fine-tune follows the same path', async () => {
    const threaded = await shortFinetune(artifact);
    expect(threaded.losses).toHaveLength(5);
    threaded.losses.forEach((loss, i) => expect(Math.abs(loss - (singleTune.losses[i] ?? NaN)) / Math.abs(singleTune.losses[i] ?? 1), `loss ${i}`).toBeLessThan(1e-4));
    expect(relativeError(threaded.weights, singleTune.weights)).toBeLessThan(1e-4);
  });

  it.runIf(process.platform === 'linux')('ends its threads when the backend is removed', async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('wasm');
    // Worker threads stop asynchronously after terminate().
    for (let i = 0; i < 50 && osThreads() > threadsBefore; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(osThreads()).toBeLessThanOrEqual(threadsBefore);
  });
});
