/**
 * Registers an elementwise tfjs kernel for the WebAssembly backend that runs
 * as a JavaScript loop over the backend's heap: every input and output is a
 * float32 tensor of the first input's shape. Used for the optimisers' fused
 * updates (wasmFusedAdam.ts, wasmFusedSgd.ts), which would otherwise be a
 * dozen tfjs kernels per parameter.
 */
import * as tf from '@tensorflow/tfjs';

/** What these kernels use of tfjs-backend-wasm's BackendWasm (public methods in 4.22). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

function isWasmHeapBackend(backend: unknown): backend is WasmHeapBackend {
  return typeof backend === 'object' && backend !== null && 'makeOutput' in backend && 'typedArrayFromHeap' in backend;
}

/**
 * `compute(inputs, outputs, attrs)` fills `outputCount` new arrays from the
 * inputs (in `inputNames` order). Registered once per name.
 */
export function registerWasmHeapKernel(
  kernelName: string,
  inputNames: readonly string[],
  outputCount: number,
  compute: (inputs: Float32Array[], outputs: Float32Array[], attrs: tf.NamedAttrMap) => void,
): void {
  if (tf.getKernel(kernelName, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!isWasmHeapBackend(backend)) throw new Error(`${kernelName}: the wasm backend lacks makeOutput/typedArrayFromHeap (tfjs-backend-wasm 4.x expected).`);
      const infos = inputNames.map((name) => {
        const info = (inputs as Record<string, tf.TensorInfo | undefined>)[name];
        if (info === undefined) throw new Error(`${kernelName} (wasm): input ${name} is missing.`);
        if (info.dtype !== 'float32') throw new Error(`${kernelName} (wasm): ${name} must be float32, got ${info.dtype}.`);
        return info;
      });
      const shape = [...infos[0]!.shape];
      // Every output first: an allocation can grow the heap, which replaces the views taken before it.
      const outInfos = Array.from({ length: outputCount }, () => backend.makeOutput(shape, 'float32'));
      const views = (list: tf.TensorInfo[]) => list.map((info) => backend.typedArrayFromHeap(info) as Float32Array);
      compute(views(infos), views(outInfos), attrs ?? {});
      return outInfos;
    },
  });
}
