/**
 * Starts tfjs-backend-wasm's threaded SIMD build in Node, which tfjs itself
 * never does there: its WASM_HAS_MULTITHREAD_SUPPORT flag is false whenever
 * IS_NODE, and the worker it would hand emscripten is a blob: URL that Node's
 * Worker refuses. This calls the build's emscripten factory (shipped as
 * wasm-out/tfjs-backend-wasm-threaded-simd.js) with:
 * - locateFile: the pthread worker as a file (wasmPthreadWorker.cjs) and the
 *   .wasm beside the factory;
 * - mainScriptUrlOrBlob: the factory's own path, which each worker loads;
 * - instantiateWasm: the import `emscripten_num_logical_cores` answers twice
 *   the thread count. tfjs's C++ side halves that number (it assumes two
 *   hardware threads per core) and caps its pool at the result, so on a
 *   2-core machine it would otherwise never run more than 1 thread.
 * The module is the one tfjs's own loader makes, with the same `tfjs` API
 * bound on it, so tfjs's BackendWasm and kernels run on it unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What tfjs's BackendWasm reads from the emscripten module (see tfjs-backend-wasm's backend_wasm.ts). */
export interface TfjsWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => unknown;
  tfjs: Record<string, unknown>;
  PThread?: { runningWorkers: Array<{ unref(): void }>; unusedWorkers: Array<{ unref(): void }>; terminateAllThreads(): void };
}

export interface ThreadedWasmFiles {
  /** The emscripten factory script (tfjs-backend-wasm-threaded-simd.js). */
  readonly factory: string;
  readonly wasm: string;
  /** wasmPthreadWorker.cjs. */
  readonly worker: string;
}

const workerFileName = 'wasmPthreadWorker.cjs';

/**
 * In the packaged app these files are unpacked beside app.asar (electron-builder.yml):
 * a worker thread must read them from disk, so use the unpacked copies.
 */
export function unpackedPath(file: string): string {
  const asar = `${path.sep}app.asar${path.sep}`;
  return file.includes(asar) ? file.replace(asar, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

/**
 * The files, found from this module's folder: the bundles' folder (dist/main,
 * where scripts/build.mjs copies the worker) or this source folder in tests.
 */
export function threadedWasmFiles(fromDir: string = __dirname): ThreadedWasmFiles {
  const requireHere = createRequire(path.join(fromDir, 'index.js'));
  const wasmOut = path.join(path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  return {
    factory: unpackedPath(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js')),
    wasm: unpackedPath(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.wasm')),
    worker: unpackedPath(path.join(fromDir, workerFileName)),
  };
}

type Factory = (config: Record<string, unknown>) => Promise<TfjsWasmModule>;
type WasmImports = Record<string, Record<string, unknown>>;

/** The part of the WebAssembly global used here (the main-process tsconfig has no DOM lib, which declares it). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: WasmImports): Promise<object>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

function isFactory(value: unknown): value is Factory {
  return typeof value === 'function';
}

/** Creates the threaded module; rejects with a reason when a file is missing or emscripten aborts. */
export async function createThreadedWasmModule(threads: number, files: ThreadedWasmFiles = threadedWasmFiles()): Promise<TfjsWasmModule> {
  for (const [what, file] of Object.entries(files)) {
    if (!existsSync(file)) throw new Error(`the threaded WebAssembly build's ${what} file is missing (${file})`);
  }
  const factory: unknown = createRequire(files.factory)(files.factory);
  if (!isFactory(factory)) throw new Error(`${files.factory} does not export an emscripten factory`);
  const compiled = await webAssembly.compile(readFileSync(files.wasm));
  const module = await new Promise<TfjsWasmModule>((resolve, reject) => {
    const config = {
      locateFile: (name: string) => (name.endsWith('.worker.js') ? files.worker : path.join(path.dirname(files.wasm), name)),
      mainScriptUrlOrBlob: files.factory,
      instantiateWasm(imports: WasmImports, receiveInstance: (instance: object, module: object) => void): object {
        const env = imports.env ?? {};
        env.emscripten_num_logical_cores = () => 2 * threads;
        webAssembly.instantiate(compiled, imports).then((instance) => receiveInstance(instance, compiled), reject);
        return {};
      },
      onAbort: (what: unknown) => reject(new Error(`the threaded WebAssembly module aborted (${String(what)})`)),
    };
    factory(config).then(resolve, reject);
  });
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * Lets the process exit while the thread pool waits for work. Emscripten
 * keeps a worker referenced while it runs a pthread, and XNNPACK's pool
 * threads run for the module's whole life, so a CLI command would otherwise
 * never end on its own. The threads hold no work of their own between ops.
 */
export function unrefPoolWorkers(module: TfjsWasmModule): void {
  for (const worker of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) worker.unref();
}
