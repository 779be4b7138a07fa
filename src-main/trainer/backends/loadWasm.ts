/**
 * Loads the tfjs WebAssembly backend (XNNPACK, SIMD). It is the fast path on
 * machines without a GPU: its forward convolutions run 10-18x faster than the
 * pure-JS 'cpu' backend's, and the model computes both convolution gradients
 * as forward convolutions on it (ml/conv2dFastGrad.ts), because the backend
 * has no Conv2DBackpropFilter kernel and a slow Conv2DBackpropInput.
 * Single-threaded in Node (the threaded build needs browser workers).
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { describeThrown, type BackendLoad } from './backendLoad';

export function wasmDeviceName(): string {
  const model = os.cpus()[0]?.model.trim().replace(/\s+/g, ' ');
  return model ? `CPU (WebAssembly SIMD, 1 thread) on ${model}` : 'CPU (WebAssembly SIMD, 1 thread)';
}

export async function loadWasm(): Promise<BackendLoad> {
  const device = wasmDeviceName();
  try {
    // Imported only now: it registers its backend at import time and loads its .wasm beside its own files.
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (thrown) {
    return { ok: false, device, reason: `@tensorflow/tfjs-backend-wasm failed to load (${describeThrown(thrown)})` };
  }
  if (tf.findBackendFactory('wasm') === null) return { ok: false, device, reason: 'tfjs-backend-wasm registered no "wasm" backend' };
  return { ok: true, tfName: 'wasm', device };
}
