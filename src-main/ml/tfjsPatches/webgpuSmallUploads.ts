/**
 * Small tensors made on the CPU (every scalar operand such as the 0.9 of
 * `tf.mul(m, 0.9)`, biases, indices) reach the GPU through
 * tfjs-backend-webgpu 4.22's uploadToGPU, which creates a new mapped staging
 * buffer for each one, ends the open compute pass and records a copy. On the
 * H200 (Dawn/Vulkan) a chain of adds with a scalar operand measured
 * 270-480 us per op, most of a training step's time (docs/benchmarks.md).
 * This replaces that path, for tensors up to `smallUploadBytes`, with
 * queue.writeBuffer into a pooled buffer: the way tfjs already writes every
 * kernel's uniforms.
 *
 * Why writeBuffer is safe here: it runs on the queue before the command
 * encoder tfjs has not submitted yet. The buffer comes from tfjs's free pool,
 * and tfjs returns a buffer to the pool only once no unsubmitted command uses
 * it (buffers of tensors used since the last submit wait for the submit), so
 * no pending command can see the write; work already submitted runs before it.
 *
 * The patch is applied to the backend's prototype once, only when it has the
 * members it relies on (checked: a different tfjs version falls back to its
 * own path); installTfjsPatches.ts switches it on or off (MACL_WEBGPU_SMALL_UPLOADS=0, for comparisons).
 */

/** Tensors up to this many bytes are written with queue.writeBuffer. */
export const smallUploadBytes = 64 * 1024;

/** The members of tfjs-backend-webgpu's WebGPUBackend this patch uses. */
interface TensorDataLike {
  dtype: string;
  shape: number[];
  values: ArrayLike<number> | null;
  resource: unknown;
}
interface WebgpuBackendLike {
  uploadToGPU(dataId: object): void;
  tensorMap: { get(dataId: object): TensorDataLike | undefined };
  bufferManager: { acquireBuffer(size: number, usage: number): unknown };
  queue: { writeBuffer(buffer: unknown, offset: number, data: ArrayBufferView): void };
}

const patched = Symbol.for('macl.webgpuSmallUploads');
const stockUpload = Symbol.for('macl.webgpuSmallUploads.stock');

type PatchedPrototype = WebgpuBackendLike & { [patched]?: boolean; [stockUpload]?: WebgpuBackendLike['uploadToGPU'] };

function looksLikeWebgpuBackend(value: unknown): value is WebgpuBackendLike {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Partial<Record<keyof WebgpuBackendLike, unknown>>;
  return typeof b.uploadToGPU === 'function' && typeof b.tensorMap === 'object' && typeof b.bufferManager === 'object' && typeof b.queue === 'object';
}

/** GPUBufferUsage STORAGE | COPY_SRC | COPY_DST: what tfjs gives every tensor buffer. */
function tensorBufferUsage(): number | null {
  const usage: unknown = Reflect.get(globalThis, 'GPUBufferUsage');
  // A class with static members in dawn.node, a plain object in browsers.
  if ((typeof usage !== 'object' && typeof usage !== 'function') || usage === null) return null;
  const { STORAGE, COPY_SRC, COPY_DST } = usage as Record<string, unknown>;
  return typeof STORAGE === 'number' && typeof COPY_SRC === 'number' && typeof COPY_DST === 'number' ? STORAGE | COPY_SRC | COPY_DST : null;
}

/** The values as the GPU stores them: int32 for int32 and bool, float32 otherwise. */
function gpuView(data: TensorDataLike, values: ArrayLike<number>): ArrayBufferView {
  if (data.dtype === 'int32' || data.dtype === 'bool') return values instanceof Int32Array ? values : Int32Array.from(values);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/**
 * Patches the active webgpu backend (tf.backend() once 'webgpu' is set).
 * Returns why it did not, or null when the patch is (now or already) in place.
 */
export function patchSmallUploads(backend: unknown): string | null {
  if (!looksLikeWebgpuBackend(backend)) return 'the backend does not have the members of tfjs-backend-webgpu 4.x this relies on';
  const proto = Object.getPrototypeOf(backend) as PatchedPrototype;
  if (proto[patched] === true) return null;
  const usage = tensorBufferUsage();
  if (usage === null) return 'GPUBufferUsage is not defined';
  const original = proto.uploadToGPU;
  proto.uploadToGPU = function uploadToGPU(this: WebgpuBackendLike, dataId: object): void {
    const data = this.tensorMap.get(dataId);
    const values = data?.values;
    if (data !== undefined && data.resource == null && values != null && values.length > 0 && values.length * 4 <= smallUploadBytes && data.dtype !== 'complex64' && data.dtype !== 'string') {
      const view = gpuView(data, values);
      const buffer = this.bufferManager.acquireBuffer(view.byteLength, usage);
      this.queue.writeBuffer(buffer, 0, view);
      data.values = null;
      data.resource = buffer;
      return;
    }
    original.call(this, dataId);
  };
  proto[stockUpload] = original;
  proto[patched] = true;
  return null;
}

/** Puts tfjs's own uploadToGPU back on the backend's prototype (nothing to do when it is not patched). */
export function unpatchSmallUploads(backend: unknown): void {
  if (typeof backend !== 'object' || backend === null) return;
  const proto = Object.getPrototypeOf(backend) as PatchedPrototype;
  const original = proto[stockUpload];
  if (proto[patched] !== true || original === undefined) return;
  proto.uploadToGPU = original;
  delete proto[stockUpload];
  delete proto[patched];
}
