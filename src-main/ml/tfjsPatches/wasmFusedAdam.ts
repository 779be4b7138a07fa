/**
 * Adam's update of one parameter as one tfjs kernel on the WebAssembly
 * backend: a JavaScript loop over the backend's heap that reads w, the
 * gradient and both moments once and writes the new three.
 *
 * Why: adam.ts's tensor form is 14 elementwise kernels per parameter (with
 * L2 weight decay), each a tfjs kernel call with its bookkeeping, a scalar
 * upload for its constant and, on the threaded build, a hand-off to the
 * thread pool. For the fine-tuning U-Net (77 parameters, 1.94 M weights)
 * that was 1,155 of a step's 4,385 kernels and 35 ms of process CPU time per
 * update on one thread (45 ms on two); one pass over the heap took 19 ms
 * (15 ms) on the same loaded machine (docs/benchmarks.md, 2026-12-07).
 *
 * Same formulas as adam.ts and the WebGPU kernel (fusedAdam.ts): PyTorch
 * semantics, L2 weight decay added to the gradient, eps outside the square
 * root, the weight update from the float32-rounded new moments. The kernel
 * shares fusedAdam.ts's name, so tfjs picks this one on the 'wasm' backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedAdamStep } from './fusedAdam';
import { registerWasmHeapKernel } from './wasmHeapKernel';

registerWasmHeapKernel('MaclAdamUpdate', ['w', 'grad', 'm', 'v'], 3, (inputs, outputs, attrs) => {
  const [wIn, gIn, mIn, vIn] = inputs as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [mOut, vOut, wOut] = outputs as [Float32Array, Float32Array, Float32Array];
  const { beta1, beta2, epsilon, weightDecay, stepSize, sqrtCorrection2 } = attrs as unknown as FusedAdamStep;
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < wIn.length; i += 1) {
    const wi = wIn[i]!;
    const gi = gIn[i]! + weightDecay * wi;
    mOut[i] = beta1 * mIn[i]! + oneMinusBeta1 * gi;
    vOut[i] = beta2 * vIn[i]! + oneMinusBeta2 * gi * gi;
    // From the float32-rounded new moments, as the tensor form.
    wOut[i] = wi - (stepSize * mOut[i]!) / (Math.sqrt(vOut[i]!) / sqrtCorrection2 + epsilon);
  }
});

let enabled = true;

/** Turns the kernel off (adam.ts then runs its tensor form on wasm too) or back on; tests compare the two. */
export function setWasmFusedAdam(on: boolean): void {
  enabled = on;
}

/** True when the active backend is 'wasm' and the kernel is on. */
export function useWasmFusedAdam(): boolean {
  return enabled && tf.getBackend() === 'wasm';
}
