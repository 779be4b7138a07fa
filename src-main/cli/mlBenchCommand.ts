/**
 * The model benchmarks inside `macl bench` (src-main/eval/mlBenchmarks.ts).
 * Each backend runs in its own child process (`macl bench-ml --backend K`):
 * Dawn picks its Vulkan driver once per process (SwiftShader or hardware),
 * and a fresh process gives each backend its own peak RSS.
 */
import { spawn } from 'node:child_process';
import { backendKinds, type BackendKind } from '../shared/contract/compute';
import { findSwiftShaderIcd } from '../trainer/backends/swiftShaderIcd';
import { describeShape, dispatchCostMs, parseShapes, poolShareText, runMlBenchmarks, type MlBenchFigure } from '../eval/mlBenchmarks';
import { activeConvGradPath } from '../ml/conv2dFastGrad';
import { runKernelBenchmarks, type KernelFigure } from '../eval/kernelBenchmarks';
import { applyConvGradSetting } from '../trainer/convGradSetting';
import { activeWasmThreads } from '../trainer/backends/loadWasm';
import { prepareBackend } from './cliBackend';

/** One backend's result: figures, or why it was not measured. */
export interface MlBenchBackendResult {
  readonly backend: BackendKind;
  readonly device: string | null;
  readonly figures: readonly MlBenchFigure[];
  readonly skipped: string | null;
  /** Threads of the WebAssembly backend (--threads, MACL_WASM_THREADS); null for the other backends. */
  readonly threads?: number | null;
  /** ms per kernel with no device work (dispatchCostMs), with a scalar operand made on the CPU each time and with a device-resident one, when measured. */
  readonly dispatchMs?: number;
  readonly dispatchDeviceOperandMs?: number;
  /** One layer's kernels timed alone (--kernels B:S:C), when measured. */
  readonly kernels?: readonly KernelFigure[];
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The text table of one backend. */
export function formatMlBench(result: MlBenchBackendResult): string {
  if (result.skipped !== null) return `  ${result.backend}: not measured (${result.skipped})`;
  const lines = [`  ${result.backend} (${result.device ?? '?'}):`];
  for (const f of result.figures) {
    const what = f.reference.kind === 'inference' ? `${f.slicesPerSecond.toFixed(1)} slices/s` : `${f.stepMs.toFixed(0)} ms/step`;
    const why = f.referenceNote === null ? '' : `; reference ${f.referenceNote}`;
    const reference = f.reduced ? `  [REDUCED; reference ${describeShape(f.reference)} extrapolated by MACs: ~${(f.referenceStepMs / 1000).toFixed(1)} s/step${why}]` : '';
    lines.push(`    ${f.reference.kind.padEnd(9)} ${describeShape(f.measured).padEnd(18)} ${what.padEnd(16)} peak tensors ${mib(f.peakTensorBytes)}, peak RSS ${mib(f.peakRssBytes)}${reference}`);
    const kernels = f.topKernels.filter((k) => k.ms > 0).slice(0, 6);
    if (kernels.length > 0) lines.push(`      slowest kernels of one step: ${kernels.map((k) => `${k.name} ${k.ms.toFixed(0)} ms (${k.calls}x)`).join(', ')}`);
    if (f.kernelMsTotal > 0) lines.push(`      one profiled step: ${f.profiledKernels} kernels, ${f.kernelMsTotal.toFixed(0)} ms of kernel time${poolShareText(f)}`);
  }
  for (const k of result.kernels ?? []) lines.push(`    ${k.name}: ${k.ms.toFixed(2)} ms`);
  if (result.dispatchMs !== undefined) lines.push(`    per-kernel fixed cost (chained small adds): ${(result.dispatchMs * 1000).toFixed(0)} us with a CPU scalar operand, ${((result.dispatchDeviceOperandMs ?? NaN) * 1000).toFixed(0)} us with a device one`);
  return lines.join('\n');
}

/**
 * `macl bench-ml --backend K [--threads N] [--quick] [--steps N] [--shapes kind:size:batch:width,...] [--dispatch] [--kernels B:S:C] [--kernel-cpu]`:
 * the child side; prints one JSON result (N timed steps per shape; --shapes
 * replaces the reference shapes, "none" measures none; --dispatch adds the
 * per-kernel fixed cost; --kernels times one conv layer's kernels alone;
 * --kernel-cpu profiles kernels by process CPU time, wasm and cpu only).
 */
export async function runMlBenchChild(args: readonly string[]): Promise<number> {
  const index = args.indexOf('--backend');
  const backend = args[index + 1] as BackendKind | undefined;
  if (index === -1 || backend === undefined || !backendKinds.includes(backend)) {
    console.error(`bench-ml: --backend must be one of ${backendKinds.join(', ')}.`);
    return 2;
  }
  const quick = args.includes('--quick');
  const stepsAt = args.indexOf('--steps');
  const timedSteps = stepsAt === -1 ? undefined : Number(args[stepsAt + 1]);
  if (timedSteps !== undefined && !(Number.isInteger(timedSteps) && timedSteps >= 1)) {
    console.error('bench-ml: --steps must be a positive integer.');
    return 2;
  }
  const shapesAt = args.indexOf('--shapes');
  const references = shapesAt === -1 ? undefined : args[shapesAt + 1] === 'none' ? [] : parseShapes(args[shapesAt + 1] ?? '');
  const kernelsAt = args.indexOf('--kernels');
  const layer = kernelsAt === -1 ? undefined : (args[kernelsAt + 1] ?? '').split(':').map(Number);
  if (layer !== undefined && !(layer.length === 3 && layer.every((v) => Number.isInteger(v) && v >= 1))) {
    console.error('bench-ml: --kernels takes batch:size:channels, e.g. 8:256:32.');
    return 2;
  }
  if (references === null) {
    console.error('bench-ml: --shapes takes kind:size:batch:width[,...], kind one of pretrain, finetune, inference (e.g. finetune:256:8:32).');
    return 2;
  }
  let result: MlBenchBackendResult;
  try {
    const convGradProblem = applyConvGradSetting(process.env);
    if (convGradProblem !== null) console.error(convGradProblem);
    const prepared = await prepareBackend(backend, () => undefined);
    console.error(`[bench ${backend}] convolution gradient path: ${activeConvGradPath()}`);
    const [batch = 0, size = 0, channels = 0] = layer ?? [];
    const kernels = layer === undefined ? {} : { kernels: await runKernelBenchmarks({ batch, size, channels }) };
    const dispatch = args.includes('--dispatch') ? { dispatchMs: await dispatchCostMs(true), dispatchDeviceOperandMs: await dispatchCostMs(false) } : {};
    const kernelClock = args.includes('--kernel-cpu') ? 'cpu' : 'wall';
    const figures = await runMlBenchmarks({ quick, kernelClock, ...(timedSteps === undefined ? {} : { timedSteps }), ...(references === undefined ? {} : { references, exact: true }), log: (line) => console.error(`[bench ${backend}] ${line}`) });
    result = { backend, device: prepared.device, threads: activeWasmThreads(), figures, skipped: null, ...dispatch, ...kernels };
  } catch (thrown) {
    result = { backend, device: null, figures: [], skipped: thrown instanceof Error ? thrown.message : String(thrown) };
  }
  console.log(JSON.stringify(result));
  return 0;
}

/** Runs `macl bench-ml --backend K ...args` in a child process and reads its one JSON result. */
export function runMlBenchProcess(backend: BackendKind, args: readonly string[], log: (line: string) => void): Promise<MlBenchBackendResult> {
  const script = process.argv[1] ?? '';
  const child = spawn(process.execPath, [script, 'bench-ml', '--backend', backend, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunk.split('\n').filter((line) => line.startsWith('[bench')).forEach((line) => log(line)));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as MlBenchBackendResult);
      } catch {
        resolve({ backend, device: null, figures: [], skipped: `the benchmark process exited with code ${code ?? 'null'} without a result` });
      }
    });
  });
}

/** The backends to measure: cpu always; the others when forced or present (SwiftShader where its driver is installed). */
export function mlBenchBackends(preference: string): BackendKind[] {
  if (preference !== 'auto') return [preference as BackendKind];
  const kinds: BackendKind[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];
  if (findSwiftShaderIcd() !== null) kinds.push('webgpu-swiftshader');
  return kinds;
}

/** Runs the model benchmarks on every backend; prints text or JSON; returns the exit code. */
export async function runMlBench(options: { readonly backend: string; readonly json: boolean; readonly quick: boolean }): Promise<number> {
  const log = options.json ? () => undefined : (line: string) => console.error(line);
  const results: MlBenchBackendResult[] = [];
  for (const backend of mlBenchBackends(options.backend)) results.push(await runMlBenchProcess(backend, options.quick ? ['--quick'] : [], log));
  if (options.json) console.log(JSON.stringify({ benchmark: 'ml-steps', quick: options.quick, results }, null, 2));
  else {
    console.log(`\nbenchmark: model steps (MACL pre-train, fine-tune, inference; fp32)${options.quick ? ' --quick: reduced shapes only' : ''}`);
    for (const result of results) console.log(formatMlBench(result));
  }
  return results.some((r) => r.backend === 'cpu' && r.skipped !== null) ? 1 : 0;
}
