/**
 * The model benchmarks of `macl bench` (docs/benchmarks.md), on the active tfjs backend:
 * a MACL pre-training step, a fine-tuning step and inference, each timed
 * (median of a few steps after a warm-up) and with its peak memory (tf.profile
 * peakBytes of one extra step, tf.memory().numBytes, process peak RSS).
 *
 * The reference shapes are 256x256, batch 16 (pre-training, widths 32 and 16)
 * and batch 8 (fine-tuning, inference). Where a reference shape would take
 * too long (the pure-JS CPU backend), a reduced shape is measured and the
 * reference time is extrapolated by multiply-accumulates (B x H x W x f^2);
 * every figure says which it is.
 */
import * as tf from '@tensorflow/tfjs';
import { createFinetuner } from '../ml/finetuner';
import { backendMemoryLimitBytes } from '../shared/contract/compute';
import { segmentVolume } from '../ml/inference';
import { createMaclModel } from '../ml/maclModel';
import { createPretrainer } from '../ml/pretrainer';
import { createUNet } from '../ml/unet';
import { kernelShare, withCpuKernelClock } from './kernelShare';

/** What one benchmark measures. */
export interface MlBenchShape {
  readonly kind: 'pretrain' | 'finetune' | 'inference';
  readonly size: number;
  readonly batch: number;
  readonly width: number;
}

/** One measured figure. */
export interface MlBenchFigure {
  readonly reference: MlBenchShape;
  /** The shape actually run (the reference unless reduced). */
  readonly measured: MlBenchShape;
  readonly reduced: boolean;
  /** Median ms per step (per batch of slices for inference) at the measured shape. */
  readonly stepMs: number;
  /** Slices per second at the measured shape. */
  readonly slicesPerSecond: number;
  /** Reference-shape ms per step: measured, or extrapolated by MACs when reduced. */
  readonly referenceStepMs: number;
  /** Largest tfjs allocation during one step (tf.profile peakBytes). */
  readonly peakTensorBytes: number;
  /** tf.memory().numBytes after the steps (weights, optimiser state). */
  readonly residentTensorBytes: number;
  /** Peak resident set of the whole process so far, in bytes. */
  readonly peakRssBytes: number;
  readonly timedSteps: number;
  /** Why the reference shape was not run although its time allowed it (memory, a failure), or null. */
  readonly referenceNote: string | null;
  /** The kernels that took longest in the profiled step, summed by kernel name (kernel times as the backend reports them). */
  readonly topKernels: readonly KernelTime[];
  /** Kernels the profiled step ran, and the sum of their times (GPU time where the backend has timestamp queries): against stepMs it splits device time from per-kernel overhead. */
  readonly profiledKernels: number;
  readonly kernelMsTotal: number;
  /** Kernel time of the profiled step without the wrapper scopes of custom gradients (kernelShare.ts), and the part of it in kernels the backend runs on its thread pool (WASM; null elsewhere). */
  readonly ownKernelMs?: number;
  readonly poolKernelMs?: number | null;
  /** What the kernel times count: the wall clock, or the process's CPU time (--kernel-cpu). */
  readonly kernelClock?: KernelClock;
  /** Median process CPU time per timed step (all threads of the process). */
  readonly stepCpuMs?: number;
}

/** What per-kernel times count. */
export type KernelClock = 'wall' | 'cpu';

/** One kernel's share of a profiled step. */
export interface KernelTime {
  readonly name: string;
  readonly ms: number;
  readonly calls: number;
}

/** Sums the profile's kernel times by kernel name, longest first; kernels without a time count as 0 ms. */
export function kernelTimes(kernels: ReadonlyArray<{ readonly name: string; readonly kernelTimeMs: unknown }>, top = 12): KernelTime[] {
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const kernel of kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' && Number.isFinite(kernel.kernelTimeMs) ? kernel.kernelTimeMs : 0;
    const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(kernel.name, entry);
  }
  return [...byName.entries()].map(([name, e]) => ({ name, ms: e.ms, calls: e.calls })).sort((a, b) => b.ms - a.ms).slice(0, top);
}

/** The reference shapes, in the order they run. */
export const referenceShapes: readonly MlBenchShape[] = [
  { kind: 'pretrain', size: 256, batch: 16, width: 32 },
  { kind: 'pretrain', size: 256, batch: 16, width: 16 },
  { kind: 'finetune', size: 256, batch: 8, width: 32 },
  { kind: 'inference', size: 256, batch: 8, width: 32 },
];

/** Relative memory of a shape: activations scale with B x H x W x f. */
export function relativeMemory(shape: MlBenchShape): number {
  return shape.batch * shape.size * shape.size * shape.width;
}

/** Relative cost of a shape: conv MACs scale with B x H x W x f^2 (channels are multiples of f). */
export function relativeCost(shape: MlBenchShape): number {
  return shape.batch * shape.size * shape.size * shape.width * shape.width;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? NaN;
}

/** Runs `step` once to warm up, then `steps` times; returns the median ms (and `cpuMs`, if given, receives the median process CPU ms). */
export async function timeSteps(step: () => Promise<void>, steps: number, cpuMs?: (ms: number) => void): Promise<number> {
  await step();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < steps; i += 1) {
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    await step();
    times.push(performance.now() - started);
    const used = process.cpuUsage(startedCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  cpuMs?.(median(cpu));
  return median(times);
}

/** The step function of a shape and what to free afterwards. */
function makeStep(shape: MlBenchShape): { step: () => Promise<void>; dispose: () => void } {
  const { size, batch, width } = shape;
  const images = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
  if (shape.kind === 'pretrain') {
    const model = createMaclModel({ width, seed: 1 });
    const trainer = createPretrainer(model, { totalSteps: 1000, seed: 2 });
    const positions = Array.from({ length: batch }, (_, i) => (i + 0.5) / batch);
    return {
      step: async () => void (await trainer.trainStep({ images, positions })),
      dispose: () => {
        trainer.dispose();
        model.dispose();
        images.dispose();
      },
    };
  }
  const unet = createUNet({ classes: 4, width, seed: 1 });
  if (shape.kind === 'inference') {
    const data = new Float32Array(size * size * batch).map((_, i) => (i % 97) / 97);
    const volume = { data, width: size, height: size, depth: batch };
    return {
      step: async () => void (await segmentVolume(unet, volume, { size, batch })),
      dispose: () => {
        unet.dispose();
        images.dispose();
      },
    };
  }
  // Sparse labels like strokes: one labelled row in eight, the rest ignored (-1).
  const labels = tf.tidy(() => {
    const rows = tf.range(0, size, 1, 'int32').reshape([1, size, 1]);
    const labelled = tf.equal(tf.mod(rows, 8), 0).tile([batch, 1, size]);
    return tf.where(labelled, tf.fill([batch, size, size], 1, 'int32'), tf.fill([batch, size, size], -1, 'int32')) as tf.Tensor3D;
  });
  const tuner = createFinetuner(unet, { totalSteps: 1000, batch, seed: 2 });
  let ready = false;
  return {
    step: async () => {
      if (!ready) {
        await tuner.setData({ images, labels });
        ready = true;
      }
      await tuner.steps(1);
    },
    dispose: () => {
      tuner.dispose();
      unet.dispose();
      tf.dispose([images, labels]);
    },
  };
}

/** Measures `measured` and reports it against `reference`; `kernelClock` 'cpu' profiles kernels by process CPU time (wasm, cpu). */
export async function measureShape(reference: MlBenchShape, measured: MlBenchShape, timedSteps: number, kernelClock: KernelClock = 'wall'): Promise<MlBenchFigure> {
  const { step, dispose } = makeStep(measured);
  try {
    let stepCpuMs = NaN;
    const stepMs = await timeSteps(step, timedSteps, (ms) => (stepCpuMs = ms));
    const runProfile = () =>
      tf.profile(async () => {
        await step();
      });
    const profile = await (kernelClock === 'cpu' ? withCpuKernelClock(runProfile) : runProfile());
    const share = kernelShare(profile.kernels, tf.getBackend());
    const reduced = relativeCost(measured) !== relativeCost(reference) || measured.size !== reference.size;
    return {
      reference,
      measured,
      reduced,
      stepMs,
      slicesPerSecond: (measured.batch * 1000) / stepMs,
      referenceStepMs: reduced ? (stepMs * relativeCost(reference)) / relativeCost(measured) : stepMs,
      peakTensorBytes: profile.peakBytes,
      residentTensorBytes: tf.memory().numBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      timedSteps,
      topKernels: kernelTimes(profile.kernels),
      profiledKernels: profile.kernels.length,
      kernelMsTotal: profile.kernels.reduce((sum, k) => sum + (typeof k.kernelTimeMs === 'number' && Number.isFinite(k.kernelTimeMs) ? k.kernelTimeMs : 0), 0),
      ownKernelMs: share.kernelMs,
      poolKernelMs: share.poolMs,
      kernelClock,
      stepCpuMs,
      referenceNote: null,
    };
  } finally {
    dispose();
  }
}

/** The reduced shape tried first: a quarter of the size (at least 64) and at most batch 4. */
export function reducedShape(reference: MlBenchShape, quick: boolean): MlBenchShape {
  const size = Math.min(reference.size, quick ? 64 : Math.max(64, reference.size / 2));
  return { ...reference, size, batch: Math.min(reference.batch, quick ? 2 : 4), width: quick ? Math.min(reference.width, 8) : reference.width };
}

/** Options of runMlBenchmarks. */
export interface MlBenchOptions {
  /** Only reduced shapes (CI-sized). */
  readonly quick?: boolean;
  /** Run a reference shape only when its extrapolated step takes less than this (default 300 000 ms). */
  readonly fullStepBudgetMs?: number;
  /** The shapes to measure (default referenceShapes). */
  readonly references?: readonly MlBenchShape[];
  /** Tensor memory of the backend (default: backendMemoryLimitBytes of the active backend; null: no limit). */
  readonly memoryLimitBytes?: number | null;
  /** Timed steps per reference shape (default 3; a step over 30 s is timed once). */
  readonly timedSteps?: number;
  /** Measure the given shapes as they are: no reduced shape first, no extrapolation (shapes chosen by hand). */
  readonly exact?: boolean;
  /** What the profiled kernel times count (default 'wall'; 'cpu' only on wasm and cpu). */
  readonly kernelClock?: KernelClock;
  readonly log?: (line: string) => void;
}

/** Runs every reference benchmark on the active backend (reduced where the reference would exceed the budget). */
export async function runMlBenchmarks(options: MlBenchOptions = {}): Promise<MlBenchFigure[]> {
  const budget = options.fullStepBudgetMs ?? 300_000;
  const figures: MlBenchFigure[] = [];
  const limit = options.memoryLimitBytes === undefined ? backendMemoryLimitBytes(tf.getBackend()) : options.memoryLimitBytes;
  for (const reference of options.references ?? referenceShapes) {
    if (options.exact === true) {
      try {
        const figure = await measureShape(reference, reference, options.timedSteps ?? 3, options.kernelClock);
        options.log?.(`${reference.kind} ${describeShape(reference)}: ${figure.stepMs.toFixed(0)} ms/step, ${figure.profiledKernels} kernels, ${figure.kernelMsTotal.toFixed(0)} ms kernel time${poolShareText(figure)}`);
        figures.push(figure);
      } catch (thrown) {
        options.log?.(`${reference.kind} ${describeShape(reference)}: failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
      continue;
    }
    const small = reducedShape(reference, options.quick === true);
    const first = await measureShape(reference, small, options.quick ? 2 : 3, options.kernelClock);
    options.log?.(`${reference.kind} ${describeShape(small)}: ${first.stepMs.toFixed(0)} ms/step (reference ${describeShape(reference)} extrapolated ${first.referenceStepMs.toFixed(0)} ms)`);
    if (options.quick || first.referenceStepMs * 2 > budget) {
      figures.push(first);
      continue;
    }
    // Peak tensors grow with the activations; a shape that cannot fit is not tried (on WASM it would abort the module).
    const neededBytes = (first.peakTensorBytes * relativeMemory(reference)) / relativeMemory(small);
    if (limit !== null && neededBytes > 0.8 * limit) {
      const note = `not run: it would need ~${(neededBytes / 2 ** 30).toFixed(1)} GiB of tensors, over the ${tf.getBackend()} backend's ${(limit / 2 ** 30).toFixed(0)} GiB`;
      options.log?.(`${reference.kind} ${describeShape(reference)}: ${note}`);
      figures.push({ ...first, referenceNote: note });
      continue;
    }
    try {
      figures.push(await measureShape(reference, reference, first.referenceStepMs > 30_000 ? 1 : (options.timedSteps ?? 3), options.kernelClock));
    } catch (thrown) {
      const note = `failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
      options.log?.(`${reference.kind} ${describeShape(reference)}: ${note}`);
      figures.push({ ...first, referenceNote: note });
    }
  }
  return figures;
}

/** Parses "finetune:256:8:32,pretrain:128:4:16" (kind:size:batch:width); null when any part is not a shape. */
export function parseShapes(text: string): MlBenchShape[] | null {
  const shapes: MlBenchShape[] = [];
  for (const part of text.split(',')) {
    const [kind, ...numbers] = part.trim().split(':');
    const [size, batch, width] = numbers.map(Number);
    if (kind !== 'pretrain' && kind !== 'finetune' && kind !== 'inference') return null;
    if (numbers.length !== 3 || ![size, batch, width].every((n) => Number.isInteger(n) && (n ?? 0) >= 1)) return null;
    shapes.push({ kind, size: size as number, batch: batch as number, width: width as number });
  }
  return shapes.length > 0 ? shapes : null;
}

/**
 * Per-kernel cost on the active backend without device work to speak of:
 * `ops` chained adds on a 4096-element tensor (over tfjs-webgpu's 1000-element
 * threshold below which it computes on the CPU), one read at the end; ms per
 * op. With `scalarOperand` each add takes a new scalar made on the CPU (as
 * `tf.mul(m, 0.9)` does), which the backend must upload; without, the operand
 * already lives on the device. On a GPU backend this is the fixed cost each
 * kernel of a step pays (tfjs bookkeeping, bind group, uniforms, encoding).
 */
export async function dispatchCostMs(scalarOperand: boolean, ops = 2000): Promise<number> {
  const operand = tf.keep(tf.fill([4096], 1));
  await operand.data(); // on the device (and cached) before timing
  const run = async (): Promise<void> => {
    const out = tf.tidy(() => {
      let x: tf.Tensor = tf.add(operand, operand);
      for (let i = 0; i < ops; i += 1) x = scalarOperand ? tf.add(x, 1) : tf.add(x, operand);
      return x;
    });
    await out.data();
    out.dispose();
  };
  try {
    return (await timeSteps(run, 3)) / ops;
  } finally {
    operand.dispose();
  }
}

/** ", 412 ms CPU in kernels, 78% in thread-pool kernels" (empty without a pool share). */
export function poolShareText(figure: MlBenchFigure): string {
  if (figure.poolKernelMs === null || figure.poolKernelMs === undefined || !(figure.ownKernelMs !== undefined && figure.ownKernelMs > 0)) return '';
  const clock = figure.kernelClock === 'cpu' ? ' CPU' : '';
  return `; ${figure.ownKernelMs.toFixed(0)} ms${clock} in kernels, ${((100 * figure.poolKernelMs) / figure.ownKernelMs).toFixed(0)}% in thread-pool kernels`;
}

/** "256x256 b16 f32". */
export function describeShape(shape: MlBenchShape): string {
  return `${shape.size}x${shape.size} b${shape.batch} f${shape.width}`;
}
