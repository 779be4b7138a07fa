/**
 * `macl bench-threads`: how the WebAssembly backend's step times scale with
 * its thread count. Each measurement is a fresh `macl bench-ml --backend wasm
 * --threads T` process; the counts are interleaved round by round (1, 2, 1,
 * 2, ...) so that a change in the machine's load falls on every count alike,
 * and each figure is the median over the rounds.
 */
import { parseArgs } from 'node:util';
import { describeShape, parseShapes, type MlBenchShape } from '../eval/mlBenchmarks';
import { defaultWasmThreads } from '../trainer/backends/wasmThreadsSetting';
import { runMlBenchProcess, type MlBenchBackendResult } from './mlBenchCommand';

/** The shapes the app trains and infers at on a processor (sessionDefaults.ts, the pre-training job's processor defaults). */
export const processorShapes = 'pretrain:64:8:16,finetune:64:4:16,inference:64:8:16';

const usage = `Usage: macl bench-threads [--counts 1,2,4,8] [--rounds 3] [--shapes ${processorShapes}] [--steps 3] [--json]
  --counts   thread counts to compare (default: 1, 2, 4, 8 up to this machine's cores, and its core count)
  --rounds   how many times each count is measured, interleaved; figures are medians (default 3)
  --shapes   kind:size:batch:width list as for bench-ml (default: the processor shapes the app uses)
  --steps    timed steps per shape and run (default 3)`;

/** 1, 2, 4, 8 up to the default thread count, and the default itself. */
export function defaultThreadCounts(max: number = defaultWasmThreads()): number[] {
  return [...new Set([...[1, 2, 4, 8].filter((n) => n <= max), max])];
}

export interface ScalingRow {
  readonly shape: MlBenchShape;
  /** Per thread count: the median ms per step over the rounds (null: no run measured it). */
  readonly medianMs: ReadonlyArray<{ readonly threads: number; readonly ms: number | null; readonly runs: readonly number[] }>;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Groups the runs' figures by shape and thread count. */
export function scalingRows(shapes: readonly MlBenchShape[], counts: readonly number[], runs: ReadonlyArray<{ readonly threads: number; readonly result: MlBenchBackendResult }>): ScalingRow[] {
  return shapes.map((shape) => ({
    shape,
    medianMs: counts.map((threads) => {
      const times = runs
        .filter((run) => run.threads === threads)
        .flatMap((run) => run.result.figures.filter((f) => describeShape(f.measured) === describeShape(shape) && f.measured.kind === shape.kind).map((f) => f.stepMs));
      return { threads, ms: median(times), runs: times };
    }),
  }));
}

/** The text table: ms per step per count, and the speed-up over the first count. */
export function formatScaling(rows: readonly ScalingRow[]): string {
  const counts = rows[0]?.medianMs.map((m) => m.threads) ?? [];
  const header = ['shape'.padEnd(28), ...counts.map((n) => `${n} thread${n === 1 ? '' : 's'}`.padStart(20))].join('');
  const lines = [header];
  for (const row of rows) {
    const base = row.medianMs[0]?.ms ?? null;
    const cells = row.medianMs.map((m, i) => {
      if (m.ms === null) return '-'.padStart(20);
      const speedUp = i === 0 || base === null ? '' : ` (${(base / m.ms).toFixed(2)}x)`;
      return `${m.ms.toFixed(0)} ms${speedUp}`.padStart(20);
    });
    lines.push([`${row.shape.kind} ${describeShape(row.shape)}`.padEnd(28), ...cells].join(''));
  }
  return lines.join('\n');
}

export async function runThreadScalingCommand(args: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { counts: { type: 'string' }, rounds: { type: 'string', default: '3' }, shapes: { type: 'string', default: processorShapes }, steps: { type: 'string', default: '3' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    }));
  } catch (thrown) {
    console.error(`${thrown instanceof Error ? thrown.message : String(thrown)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const counts = values.counts === undefined ? defaultThreadCounts() : values.counts.split(',').map(Number);
  const rounds = Number(values.rounds);
  const steps = Number(values.steps);
  const shapes = parseShapes(values.shapes);
  const problem =
    !counts.every((n) => Number.isInteger(n) && n >= 1) ? `--counts takes whole numbers of threads, 1 or more, e.g. 1,2,4, got "${values.counts ?? ''}".`
    : !(Number.isInteger(rounds) && rounds >= 1) ? `--rounds must be a positive integer, got "${values.rounds}".`
    : !(Number.isInteger(steps) && steps >= 1) ? `--steps must be a positive integer, got "${values.steps}".`
    : shapes === null || shapes.length === 0 ? `--shapes takes kind:size:batch:width[,...], e.g. ${processorShapes}.`
    : null;
  if (problem !== null || shapes === null) {
    console.error(`${problem ?? ''}\n\n${usage}`);
    return 2;
  }
  const log = values.json ? () => undefined : (line: string) => console.error(line);
  const runs: Array<{ threads: number; round: number; result: MlBenchBackendResult }> = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (const threads of counts) {
      log(`[bench-threads] round ${round}/${rounds}, ${threads} thread${threads === 1 ? '' : 's'}`);
      const result = await runMlBenchProcess('wasm', ['--threads', String(threads), '--shapes', values.shapes, '--steps', String(steps)], log);
      if (result.skipped !== null) {
        console.error(`bench-threads: the ${threads}-thread run was not measured: ${result.skipped}`);
        return 1;
      }
      runs.push({ threads, round, result });
    }
  }
  const rows = scalingRows(shapes, counts, runs);
  const device = runs.at(-1)?.result.device ?? '?';
  if (values.json) console.log(JSON.stringify({ benchmark: 'wasm-thread-scaling', rounds, steps, device, rows, runs }, null, 2));
  else {
    console.log(`\nbenchmark: WebAssembly backend, median ms per step over ${rounds} interleaved round${rounds === 1 ? '' : 's'} (speed-up over ${counts[0] ?? 1} thread${counts[0] === 1 ? '' : 's'}); ${device}`);
    console.log(formatScaling(rows));
  }
  return 0;
}
