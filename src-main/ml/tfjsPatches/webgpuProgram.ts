/**
 * Runs a hand-written compute shader on tfjs's WebGPU backend, for the few
 * training kernels where tfjs-backend-webgpu's own are slow or where a fused
 * kernel saves many dispatches (filterGrad.ts, fusedAdam.ts).
 *
 * Duck-typed on purpose: model code imports only @tensorflow/tfjs, and the
 * WebGPU backend package registers itself only where navigator.gpu exists.
 * A program is the object tfjs-backend-webgpu 4.x's runWebGPUProgram takes:
 * tfjs writes the WGSL prelude (the input arrays named by variableNames, the
 * `result` output, a `uniforms` struct with each input's shape, then the
 * fields in `uniforms`; `workgroupId`, `localIndex`, `numWorkgroups` as
 * private variables), and the program supplies `fn main(index: i32)`.
 */
import * as tf from '@tensorflow/tfjs';

/** The WebGPUProgram fields tfjs-backend-webgpu 4.x reads. */
export interface WebgpuProgram {
  readonly variableNames: readonly string[];
  readonly outputShape: readonly number[];
  /** Part of the pipeline cache key with the shapes and dtypes: one per distinct shader text. */
  readonly shaderKey: string;
  readonly dispatchLayout: { readonly x: readonly number[] };
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  /** WGSL struct fields appended to the uniforms, e.g. 'beta : f32, splits : i32,'. */
  readonly uniforms?: string;
  /** Adds `uniforms.size` (the output's element count). */
  readonly size?: boolean;
  getUserCode(): string;
}

/** A value for one field of `uniforms`, in declaration order. */
export interface ProgramUniform {
  readonly type: 'float32' | 'int32' | 'uint32';
  readonly data: readonly number[];
}

/** The part of tfjs-backend-webgpu's backend a kernel function uses. */
export interface WebgpuBackendLike {
  runWebGPUProgram(program: WebgpuProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: ProgramUniform[]): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

function isWebgpuBackend(backend: unknown): backend is WebgpuBackendLike {
  return typeof backend === 'object' && backend !== null && 'runWebGPUProgram' in backend && typeof backend.runWebGPUProgram === 'function' && 'disposeData' in backend;
}

/** True when the active backend is tfjs's WebGPU backend and can run programs. */
export function webgpuProgramsAvailable(): boolean {
  return tf.getBackend() === 'webgpu' && isWebgpuBackend(tf.backend());
}

/** Runs `program` inside a kernel function (uniform values copied into tfjs's form). */
export function runProgram(backend: WebgpuBackendLike, program: WebgpuProgram, inputs: readonly tf.TensorInfo[], uniforms: readonly ProgramUniform[] = []): tf.TensorInfo {
  return backend.runWebGPUProgram(program, [...inputs], 'float32', uniforms.map((u) => ({ type: u.type, data: [...u.data] })));
}

/**
 * Registers `name` as a tfjs kernel of the webgpu backend (once), so it runs
 * through the engine like tfjs's own: scoped memory, and its time in tf.profile.
 */
export function registerWebgpuKernel(name: string, run: (backend: WebgpuBackendLike, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(name, 'webgpu') !== undefined) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!isWebgpuBackend(backend)) throw new Error(`${name}: the webgpu backend lacks runWebGPUProgram (tfjs-backend-webgpu 4.x expected).`);
      return run(backend, inputs, attrs ?? {});
    },
  });
}

/** Workgroups for `threads` threads of `perGroup` each (tfjs folds a count over the per-dimension limit into 2-D). */
export function flatDispatch(threads: number, perGroup: number): [number, number, number] {
  return [Math.max(1, Math.ceil(threads / perGroup)), 1, 1];
}

/** The flat dispatch layout over every output axis. */
export function flatLayout(outputShape: readonly number[]): { readonly x: readonly number[] } {
  return { x: outputShape.map((_, i) => i) };
}

/**
 * A program with one thread per output element: `body` runs for each `index`
 * below `uniforms.size` and writes with setOutputAtIndex.
 */
export class ElementwiseProgram implements WebgpuProgram {
  readonly dispatchLayout;
  dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [256, 1, 1];
  readonly size = true;
  constructor(
    readonly shaderKey: string,
    readonly variableNames: readonly string[],
    readonly outputShape: readonly number[],
    readonly uniforms: string,
    private readonly body: string,
  ) {
    this.dispatchLayout = flatLayout(outputShape);
    this.dispatch = flatDispatch(outputShape.reduce((a, b) => a * b, 1), this.workgroupSize[0]);
  }
  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${this.body}
        }
      }`;
  }
}
