/**
 * How many threads the WASM backend runs. By default as many as the machine
 * has processor threads (os.availableParallelism), up to the most that
 * tfjs-backend-wasm 4.22's threaded build can run: its C++ side caps the
 * XNNPACK thread pool at 8 and emscripten pre-creates 8 workers for it.
 * MACL_WASM_THREADS lowers it (the CLI's --threads sets it; the app passes
 * the training panel's choice to the trainer process the same way).
 */
import os from 'node:os';

export const wasmThreadsEnv = 'MACL_WASM_THREADS';

/** The most threads tfjs-backend-wasm 4.22 runs (its pool size). */
export const wasmMaxThreads = 8;

export interface WasmThreadsSetting {
  readonly threads: number;
  /** Why the value asked for was not used as given, or null. */
  readonly problem: string | null;
}

/** The machine's processor threads (logical cores). */
export function machineThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/** The default: every processor thread, within the backend's cap. */
export function defaultWasmThreads(cores: number = machineThreads()): number {
  return Math.min(Math.max(1, cores), wasmMaxThreads);
}

/** Reads MACL_WASM_THREADS (a positive integer; unset or empty: the default). */
export function wasmThreadsSetting(env: Readonly<Record<string, string | undefined>> = process.env, cores: number = machineThreads()): WasmThreadsSetting {
  const raw = env[wasmThreadsEnv]?.trim();
  const fallback = defaultWasmThreads(cores);
  if (raw === undefined || raw === '') return { threads: fallback, problem: null };
  const asked = Number(raw);
  if (!Number.isInteger(asked) || asked < 1) {
    return { threads: fallback, problem: `${wasmThreadsEnv} must be a whole number of threads, 1 or more, got "${raw}"; using ${fallback}.` };
  }
  if (asked > wasmMaxThreads) {
    return { threads: wasmMaxThreads, problem: `${wasmThreadsEnv}=${asked}: the WebAssembly backend runs at most ${wasmMaxThreads} threads; using ${wasmMaxThreads}.` };
  }
  return { threads: asked, problem: null };
}
