/**
 * Installs Dawn (the `webgpu` npm package) as `navigator.gpu`, once per
 * process, and asks it for an adapter. tfjs-backend-webgpu registers itself
 * only if `navigator.gpu` exists when it is imported, and uses the GPU*
 * constants (GPUBufferUsage, GPUMapMode, ...) as globals, so both must be in
 * place first.
 */
import type { AdapterInfoLike } from './adapterClass';

/** The part of a GPUAdapter this code reads. */
export interface AdapterLike {
  readonly info?: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<unknown>;
}

let installing: Promise<GpuLike> | null = null;

/** True once Dawn was created in this process: Vulkan driver selection (VK_ICD_FILENAMES) is then fixed. */
export function dawnStarted(): boolean {
  return installing !== null;
}

function isGpuLike(value: unknown): value is GpuLike {
  return typeof value === 'object' && value !== null && 'requestAdapter' in value && typeof value.requestAdapter === 'function';
}

async function install(): Promise<GpuLike> {
  const dawn = await import('webgpu');
  const gpu: unknown = dawn.create([]);
  if (!isGpuLike(gpu)) throw new Error('webgpu.create() did not return a GPU object.');
  const globals: object = dawn.globals;
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  // Node >= 21 (and Electron) has a read-only global navigator: plain assignment
  // throws. Keep the fields tfjs's device checks read from the one it replaces.
  const previous: unknown = Reflect.get(globalThis, 'navigator');
  const navigator: Record<string, unknown> = { gpu };
  if (typeof previous === 'object' && previous !== null) {
    for (const key of ['userAgent', 'language', 'languages', 'platform', 'hardwareConcurrency']) {
      const value: unknown = Reflect.get(previous, key);
      if (value !== undefined) navigator[key] = value;
    }
  }
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true });
  return gpu;
}

/** Loads Dawn and sets the globals; later calls return the same GPU. */
export function installDawnGpu(): Promise<GpuLike> {
  installing ??= install();
  return installing;
}

/** The adapter tfjs-backend-webgpu will also get (it asks with the same options), or null when there is none. */
export async function requestDefaultAdapter(): Promise<AdapterLike | null> {
  const gpu = await installDawnGpu();
  const adapter: unknown = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (typeof adapter !== 'object' || adapter === null) return null;
  return adapter;
}
