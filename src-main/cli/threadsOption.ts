/**
 * `--threads N`, accepted by every command: how many threads the WebAssembly
 * backend runs (default: every core). It is handed on as MACL_WASM_THREADS,
 * so the trainer process `macl probe` starts and the child processes of
 * `macl bench` see it too (wasmThreadsSetting.ts reads it).
 */
import { wasmThreadsEnv } from '../trainer/backends/wasmThreadsSetting';

export type ThreadsOption = { readonly rest: string[]; readonly threads: number | null } | { readonly error: string };

/** Takes `--threads N` / `--threads=N` out of `args`. */
export function takeThreadsOption(args: readonly string[]): ThreadsOption {
  const rest: string[] = [];
  let threads: number | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg !== '--threads' && !arg.startsWith('--threads=')) {
      rest.push(arg);
      continue;
    }
    const raw = arg === '--threads' ? args[++i] : arg.slice('--threads='.length);
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isInteger(value) || value < 1) {
      return { error: `--threads takes a whole number of threads, 1 or more, got "${raw ?? ''}".` };
    }
    threads = value;
  }
  return { rest, threads };
}

/** Applies a parsed --threads to this process and its children. */
export function applyThreadsOption(threads: number | null, env: Record<string, string | undefined> = process.env): void {
  if (threads !== null) env[wasmThreadsEnv] = String(threads);
}
