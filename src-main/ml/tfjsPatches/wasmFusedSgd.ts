/**
 * SGD with momentum's update of one parameter as one tfjs kernel on the
 * WebAssembly backend (a JavaScript loop over the heap, wasmHeapKernel.ts),
 * from the second step on (the first sets the buffer to the gradient).
 *
 * Why: sgd.ts's tensor form is 6 elementwise kernels per parameter (with
 * weight decay), each a tfjs kernel call and, on the threaded build, a
 * hand-off to the thread pool; the pre-training model's update is hundreds of
 * them per step. Same formulas as sgd.ts (PyTorch semantics: L2 weight decay
 * added to the gradient, buf = momentum * buf + g, w -= lr * buf from the
 * float32-rounded new buffer); tests compare the two.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmHeapKernel } from './wasmHeapKernel';

const kernelName = 'MaclSgdUpdate';

/** Hyper-parameters of one SGD step. */
export interface FusedSgdStep {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly lr: number;
}

registerWasmHeapKernel(kernelName, ['w', 'grad', 'buf'], 2, (inputs, outputs, attrs) => {
  const [wIn, gIn, bufIn] = inputs as [Float32Array, Float32Array, Float32Array];
  const [bufOut, wOut] = outputs as [Float32Array, Float32Array];
  const { momentum, weightDecay, lr } = attrs as unknown as FusedSgdStep;
  for (let i = 0; i < wIn.length; i += 1) {
    const wi = wIn[i]!;
    bufOut[i] = momentum * bufIn[i]! + (gIn[i]! + weightDecay * wi);
    wOut[i] = wi - lr * bufOut[i]!;
  }
});

let enabled = true;

/** Turns the kernel off (sgd.ts then runs its tensor form on wasm too) or back on; tests compare the two. */
export function setWasmFusedSgd(on: boolean): void {
  enabled = on;
}

/** True when the active backend is 'wasm' and the kernel is on. */
export function useWasmFusedSgd(): boolean {
  return enabled && tf.getBackend() === 'wasm';
}

/** The new buffer and weight of one parameter (new tensors; the caller assigns them). */
export function wasmFusedSgdUpdate(w: tf.Tensor, grad: tf.Tensor, buf: tf.Tensor, step: FusedSgdStep): { buf: tf.Tensor; w: tf.Tensor } {
  const [newBuf, newW] = tf.engine().runKernel(kernelName, { w, grad, buf }, { ...step }) as tf.Tensor[];
  if (newBuf === undefined || newW === undefined) throw new Error(`${kernelName} returned fewer than two tensors.`);
  return { buf: newBuf, w: newW };
}
