/**
 * How a profiled step's kernel time splits between kernels a backend runs on
 * its thread pool and the rest, which is what bounds a speed-up from more
 * WebAssembly threads: tfjs-backend-wasm parallelises only the kernels it
 * hands to XNNPACK with its pool, and runs everything else on one thread.
 *
 * And a kernel clock for the synchronous backends (wasm, cpu) that counts the
 * process's CPU time instead of the wall clock: on a machine shared with other
 * work, wall-clock kernel times grow with the load (3x and more on the
 * development machine), CPU time far less.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Kernels tfjs-backend-wasm 4.22 runs in XNNPACK on its thread pool: the ones
 * whose C++ passes `tfjs::backend::threadpool` (convolutions, the
 * XNNPACK elementwise and unary ops, pooling, padding, softmax). BatchMatMul
 * only counts without transposed operands and with batch 1 (isPoolMatmul);
 * otherwise it runs a scalar loop.
 */
export const wasmPoolKernels: ReadonlySet<string> = new Set([
  'Conv2D',
  'FusedConv2D',
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2D',
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'SquaredDifference',
  'Abs',
  'Ceil',
  'Floor',
  'Neg',
  'Round',
  'Square',
  'AvgPool',
  'MaxPool',
  'ClipByValue',
  'Relu',
  'Relu6',
  'Prelu',
  'Sigmoid',
  'Elu',
  'PadV2',
  'ResizeBilinear',
  'Softmax',
]);

/** The part of a tf.profile kernel entry read here. */
export interface ProfiledKernel {
  readonly name: string;
  readonly kernelTimeMs: unknown;
  readonly inputShapes: ReadonlyArray<readonly number[]>;
  readonly outputShapes: ReadonlyArray<readonly number[]>;
}

/** A matmul whose shapes say a [.., m, k] x b [.., k, n] -> [m, n] with batch 1: XNNPACK's path on WASM. */
export function isPoolMatmul(kernel: ProfiledKernel): boolean {
  const [a, b] = kernel.inputShapes;
  const out = kernel.outputShapes[0];
  if (a === undefined || b === undefined || out === undefined) return false;
  const r = a.length;
  return a[r - 1] === b[r - 2] && out[r - 2] === a[r - 2] && out[r - 1] === b[r - 1] && a.slice(0, -2).every((d) => d === 1) && b.slice(0, -2).every((d) => d === 1);
}

/** Kernel time of a step without wrapper scopes, and the part in thread-pool kernels (null where the backend has no such list). */
export interface KernelShare {
  readonly kernelMs: number;
  readonly poolMs: number | null;
}

function msOf(kernel: ProfiledKernel): number {
  return typeof kernel.kernelTimeMs === 'number' && Number.isFinite(kernel.kernelTimeMs) ? kernel.kernelTimeMs : 0;
}

/**
 * Sums the profile's kernels that the backend registers; custom gradients and
 * named scopes also appear as entries ("unnamed scope", "fusedDepthwiseConv2d__op"),
 * whose time contains their kernels' and would count them twice.
 */
export function kernelShare(kernels: readonly ProfiledKernel[], backendName: string): KernelShare {
  let kernelMs = 0;
  let poolMs = 0;
  for (const kernel of kernels) {
    if (tf.getKernel(kernel.name, backendName) === undefined) continue;
    const ms = msOf(kernel);
    kernelMs += ms;
    const pooled = kernel.name === 'BatchMatMul' || kernel.name === '_FusedMatMul' ? isPoolMatmul(kernel) : wasmPoolKernels.has(kernel.name);
    if (pooled) poolMs += ms;
  }
  return { kernelMs, poolMs: backendName === 'wasm' ? poolMs : null };
}

type Timed = { time(f: () => void): Promise<{ kernelMs: number | { error: string } }> };

/**
 * Runs `run` with the active backend's kernel timer counting process CPU time
 * (user + system) instead of the wall clock. Only for backends whose kernels
 * finish before they return (wasm, cpu); with one WebAssembly thread that is
 * the kernel's own computing time (and V8's garbage collection on other
 * threads unless node runs with --single-threaded-gc).
 */
export async function withCpuKernelClock<T>(run: () => Promise<T>): Promise<T> {
  const name = tf.getBackend();
  if (name !== 'wasm' && name !== 'cpu') throw new Error(`a CPU-time kernel clock needs a synchronous backend (wasm, cpu), not ${name}`);
  const backend = tf.backend() as unknown as Timed;
  const own = backend.time;
  const ownProperty = Object.prototype.hasOwnProperty.call(backend, 'time');
  backend.time = async (f) => {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    return { kernelMs: (used.user + used.system) / 1000 };
  };
  try {
    return await run();
  } finally {
    if (ownProperty) backend.time = own;
    else Reflect.deleteProperty(backend, 'time');
  }
}
