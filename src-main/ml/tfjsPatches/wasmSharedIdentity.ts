/**
 * The WebAssembly backend's Identity kernel, and its Cast to the input's own
 * dtype, share the input's data (one more reference, as its Reshape does and
 * as the CPU backend's Identity does) instead of copying it into a new heap
 * buffer.
 *
 * Why: while tf.variableGrads records, tfjs clones every tensor a gradient
 * saves through the Identity kernel (engine.saveTensorsForBackwardMode and
 * customGrad's save), and tf.avgPool ends in a Cast to its input's dtype.
 * tfjs-backend-wasm 4.22's Identity and Cast allocate and copy: 867 Identity
 * copies (14.9 M floats) and 213 Casts in a fine-tuning step at 64 px, each an
 * allocation and a single-threaded copy. No WASM kernel writes into its
 * inputs, so a shared buffer is never changed under a saved tensor; a buffer
 * is freed when its last reference goes (the backend's refCount).
 * installTfjsPatches.ts switches it (MACL_WASM_SHARED_IDENTITY=0 turns it off).
 */
import * as tf from '@tensorflow/tfjs';

const backendName = 'wasm';

/** The kernels replaced, each with when it may share (else tfjs's own kernel runs). */
const sharing: ReadonlyArray<{ readonly name: string; readonly shares: (x: tf.TensorInfo, attrs: tf.NamedAttrMap) => boolean }> = [
  { name: 'Identity', shares: (x) => x.dtype !== 'string' },
  { name: 'Cast', shares: (x, attrs) => x.dtype !== 'string' && attrs.dtype === x.dtype },
];

/** tfjs-backend-wasm's own kernels by name, kept to fall back on and to put back. */
const stock = new Map<string, tf.KernelConfig>();
/** The sharing kernel functions by name (identity of the registered function tells whether the patch is in). */
const patched = new Map<string, tf.KernelFunc>();

function hasIncRef(backend: unknown): backend is { incRef(dataId: tf.DataId): void } {
  return typeof backend === 'object' && backend !== null && 'incRef' in backend && typeof backend.incRef === 'function';
}

function sharingKernel(name: string, shares: (x: tf.TensorInfo, attrs: tf.NamedAttrMap) => boolean): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const own = stock.get(name);
    if (own === undefined) throw new Error(`wasmSharedIdentity: tfjs's ${name} kernel was lost.`);
    if (!shares(x, args.attrs ?? {}) || !hasIncRef(args.backend)) return own.kernelFunc(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

function replaceKernel(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, backendName);
  tf.registerKernel(config);
}

/**
 * Puts the sharing kernels in place (true) or tfjs's copying ones back (false).
 * Does nothing where tfjs-backend-wasm is not loaded (no such kernels for 'wasm').
 */
export function setWasmSharedIdentity(on: boolean): void {
  for (const { name, shares } of sharing) {
    const current = tf.getKernel(name, backendName);
    if (current === undefined) continue;
    const installed = patched.has(name) && current.kernelFunc === patched.get(name);
    if (on && !installed) {
      stock.set(name, current);
      const kernelFunc = sharingKernel(name, shares);
      patched.set(name, kernelFunc);
      replaceKernel({ ...current, kernelFunc });
    } else if (!on && installed) {
      const own = stock.get(name);
      if (own !== undefined) replaceKernel(own);
    }
  }
}

/** True when the sharing kernels are the registered ones. */
export function wasmSharedIdentityInstalled(): boolean {
  return sharing.every(({ name }) => patched.has(name) && tf.getKernel(name, backendName)?.kernelFunc === patched.get(name));
}
