/**
 * Loads the tfjs WebAssembly backend (XNNPACK, SIMD). It is the fast path on
 * machines without a GPU: its forward convolutions run 10-18x faster than the
 * pure-JS 'cpu' backend's, and the model computes both convolution gradients
 * as forward convolutions on it (ml/conv2dFastGrad.ts), because the backend
 * has no Conv2DBackpropFilter kernel and a slow Conv2DBackpropInput.
 *
 * With more than one thread (wasmThreadsSetting.ts) it runs tfjs's threaded
 * build on worker threads (wasmThreadedModule.ts); with one, tfjs's own
 * single-threaded SIMD build as tfjs loads it. If the threaded build cannot
 * start, the single-threaded one runs and the device name says why.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type * as WasmPackageModule from '@tensorflow/tfjs-backend-wasm';
import { describeThrown, type BackendLoad } from './backendLoad';
import { createThreadedWasmModule, unrefPoolWorkers } from './wasmThreadedModule';
import { wasmThreadsSetting } from './wasmThreadsSetting';

type WasmPackage = typeof WasmPackageModule;
type BackendFactory = NonNullable<ReturnType<typeof tf.findBackendFactory>>;

export function wasmDeviceName(threads: number, note: string | null = null): string {
  const model = os.cpus()[0]?.model.trim().replace(/\s+/g, ' ');
  const kind = `CPU (WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'}${note === null ? '' : `; ${note}`})`;
  return model ? `${kind} on ${model}` : kind;
}

export interface WasmLoadOptions {
  /** Threads to run; MACL_WASM_THREADS or every core when not given. */
  readonly threads?: number;
  readonly log?: (line: string) => void;
}

/** tfjs's own factory (single-threaded in Node), kept to return to one thread. */
let tfjsFactory: BackendFactory | null = null;
/** The registered 'wasm' backend: the threads asked for, those it runs (fewer when the threaded build did not start), its device name. */
let registered: { readonly asked: number; readonly running: number; readonly device: string } | null = null;

/** Threads of the WASM backend when it is the active one, else null. */
export function activeWasmThreads(): number | null {
  return tf.getBackend() === 'wasm' ? (registered?.running ?? null) : null;
}

function register(factory: BackendFactory, asked: number, running: number, note: string | null = null): BackendLoad {
  if (tf.findBackendFactory('wasm') !== null) tf.removeBackend('wasm');
  // tfjs-backend-wasm's own priority.
  tf.registerBackend('wasm', factory, 2);
  registered = { asked, running, device: wasmDeviceName(running, note) };
  return { ok: true, tfName: 'wasm', device: registered.device };
}

async function registerThreaded(pkg: WasmPackage, threads: number): Promise<BackendLoad> {
  const module = await createThreadedWasmModule(threads);
  // BackendWasm's constructor starts the pool with the count set here.
  pkg.setThreadsCount(threads);
  const backend = new pkg.BackendWasm(module as unknown as ConstructorParameters<WasmPackage['BackendWasm']>[0]);
  unrefPoolWorkers(module);
  return register(() => backend, threads, pkg.getThreadsCount());
}

export async function loadWasm(options: WasmLoadOptions = {}): Promise<BackendLoad> {
  const setting = wasmThreadsSetting();
  if (setting.problem !== null && options.threads === undefined) options.log?.(setting.problem);
  const threads = options.threads ?? setting.threads;
  let pkg: WasmPackage;
  try {
    // Imported only now: it registers its backend at import time and loads its .wasm beside its own files.
    pkg = await import('@tensorflow/tfjs-backend-wasm');
  } catch (thrown) {
    return { ok: false, device: wasmDeviceName(threads), reason: `@tensorflow/tfjs-backend-wasm failed to load (${describeThrown(thrown)})` };
  }
  tfjsFactory ??= tf.findBackendFactory('wasm');
  if (tfjsFactory === null) return { ok: false, device: wasmDeviceName(threads), reason: 'tfjs-backend-wasm registered no "wasm" backend' };
  if (registered?.asked === threads && tf.findBackendFactory('wasm') !== null) return { ok: true, tfName: 'wasm', device: registered.device };
  if (threads === 1) return register(tfjsFactory, 1, 1);
  try {
    return await registerThreaded(pkg, threads);
  } catch (thrown) {
    const why = `the threaded build did not start: ${describeThrown(thrown)}`;
    options.log?.(`wasm: ${why}; running on one thread`);
    return register(tfjsFactory, threads, 1, why);
  }
}
