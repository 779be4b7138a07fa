import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { BackendKind } from '../../../src-main/shared/contract/compute';
import type { BackendLoad } from '../../../src-main/trainer/backends/backendLoad';
import { loadTensorflow } from '../../../src-main/trainer/backends/loadTensorflow';
import { probeCandidates, runProbe } from '../../../src-main/trainer/probe';
import { probeStepFlops } from '../../../src-main/trainer/probeWorkload';

// Test mode: tfjs checks every kernel for leaked buffers and skips its "install tfjs-node" banner.
tf.env().set('IS_TEST', true);

describe('probe workload', () => {
  it('counts FLOPs exactly: 3 x (2*B*H*W*Cin*Cout*k*k) over both convs', () => {
    const forward = 2 * 4 * 32 * 32 * 8 * 16 * 9 + 2 * 4 * 32 * 32 * 16 * 16 * 9;
    expect(probeStepFlops()).toBe(3 * forward);
  });

  it('probes tensorflow, webgpu, wasm and cpu for auto, never SwiftShader', () => {
    expect(probeCandidates('auto')).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(probeCandidates('webgpu-swiftshader')).toEqual(['webgpu-swiftshader']);
  });
});

describe('runProbe on this machine', () => {
  it('forced cpu: measures it, activates it and leaks no tensors', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const report = await runProbe('cpu');
    expect(report.probes.map((p) => p.backend)).toEqual(['cpu']);
    expect(report.chosen).toMatchObject({ backend: 'cpu', usable: true, reason: null });
    expect(report.chosen.gflops).toBeGreaterThan(0);
    expect(report.chosen.stepMs).toBeGreaterThan(0);
    expect(report.chosen.device).toMatch(/CPU/);
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('forced wasm: loads the WebAssembly backend, measures it and leaks no tensors', async () => {
    // IS_TEST's per-kernel check counts the copies tf.customGrad saves (wasm's Identity copies
    // data); they are freed with the gradient tape, which the tensor count below checks.
    tf.env().set('IS_TEST', false);
    const report = await runProbe('wasm');
    expect(report.chosen).toMatchObject({ backend: 'wasm', usable: true, reason: null });
    expect(report.chosen.device).toMatch(/WebAssembly/);
    expect(report.chosen.gflops).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    await runProbe('wasm');
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    tf.env().set('IS_TEST', true);
  });

  it('reports native TensorFlow as not installed, with the reason', async () => {
    const load = await loadTensorflow();
    if (load.ok) return; // A machine with tfjs-node installed: nothing to check here.
    expect(load.reason).toMatch(/^native TensorFlow not installed \(.*@tensorflow\/tfjs-node-gpu.*@tensorflow\/tfjs-node\b/);
  });
});

describe('runProbe choice', () => {
  const fakeLoads: Record<BackendKind, BackendLoad> = {
    tensorflow: { ok: false, device: 'TensorFlow native', reason: 'native TensorFlow not installed (test)' },
    webgpu: { ok: true, tfName: 'cpu', device: 'Fake GPU' },
    'webgpu-swiftshader': { ok: false, device: 'SwiftShader', reason: 'no SwiftShader (test)' },
    wasm: { ok: false, device: 'Fake WASM', reason: 'no WebAssembly (test)' },
    cpu: { ok: true, tfName: 'cpu', device: 'Fake CPU' },
  };
  const activate = (kind: BackendKind): Promise<BackendLoad> => Promise.resolve(fakeLoads[kind]);
  const speeds: Record<string, number> = { 'Fake GPU': 10, 'Fake CPU': 100 };
  let current = '';
  const trackingActivate = async (kind: BackendKind): Promise<BackendLoad> => {
    const load = await activate(kind);
    current = load.device;
    return load;
  };
  const time = () => {
    const stepMs = speeds[current] ?? 1;
    return Promise.resolve({ stepMs, gflops: 1000 / stepMs, steps: 1 });
  };

  it('picks the fastest usable backend and keeps every reason', async () => {
    const report = await runProbe('auto', { activate: trackingActivate, time });
    expect(report.chosen.backend).toBe('webgpu');
    expect(report.probes.map((p) => [p.backend, p.usable])).toEqual([['tensorflow', false], ['webgpu', true], ['wasm', false], ['cpu', true]]);
    expect(report.probes[0]?.reason).toMatch(/not installed/);
  });

  it('fails a forced backend that is not usable, naming why', async () => {
    await expect(runProbe('webgpu-swiftshader', { activate, time })).rejects.toThrow(/"webgpu-swiftshader" backend was requested but is not usable: no SwiftShader \(test\)/);
  });

  it('reports a backend that hangs as unusable instead of waiting forever', async () => {
    const hang = (kind: BackendKind): Promise<BackendLoad> => (kind === 'webgpu' ? new Promise<BackendLoad>(() => undefined) : activate(kind));
    const report = await runProbe('auto', { activate: hang, time, timeoutMs: 50 });
    expect(report.probes[1]).toMatchObject({ backend: 'webgpu', usable: false, reason: 'the webgpu probe did not finish within 50 ms' });
    expect(report.chosen.backend).toBe('cpu');
  });

  it('reports a backend that throws as unusable', async () => {
    const failing = () => Promise.reject(new Error('device lost'));
    const report = await runProbe('auto', { activate, time: failing }).catch((error: unknown) => error);
    expect(report).toBeInstanceOf(Error);
    expect(String(report)).toMatch(/No compute backend is usable \(tensorflow: .*; webgpu: device lost; wasm: no WebAssembly \(test\); cpu: device lost\)/);
  });
});
