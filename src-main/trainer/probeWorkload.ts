/**
 * The probe's workload: a small, real training step (two 3x3 convs with a
 * ReLU between, loss = mean of squares, gradients for the input and both
 * filters) timed on whatever tfjs backend is active. It goes through
 * conv2dSame, so each backend is timed on the conv gradient path training
 * will use on it.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dSame } from '../ml/conv2dFastGrad';

export const probeShape = { batch: 4, size: 32, channels: [8, 16, 16], kernel: 3 } as const;

/** For the report: what was timed. */
export function describeProbeWorkload(): string {
  const { batch, size, channels, kernel } = probeShape;
  return `train step: x [${batch},${size},${size},${channels[0]}] -> conv${kernel}x${kernel} ${channels[1]} -> relu -> conv${kernel}x${kernel} ${channels[2]}, mean-square loss, gradients for x and both filters`;
}

/**
 * Exact FLOPs of one step: 2*B*H*W*Cin*Cout*k*k per conv forward; the backward
 * pass (input and filter gradient, each a conv of the same size) counted as 2x
 * forward. Elementwise ops are left out: they are under 1% here.
 */
export function probeStepFlops(): number {
  const { batch, size, channels, kernel } = probeShape;
  let forward = 0;
  for (let i = 0; i + 1 < channels.length; i += 1) {
    forward += 2 * batch * size * size * (channels[i] ?? 0) * (channels[i + 1] ?? 0) * kernel * kernel;
  }
  return 3 * forward;
}

export interface WorkloadTiming {
  /** Median of the timed steps. */
  readonly stepMs: number;
  readonly gflops: number;
  /** How many steps were timed (after one warm-up step). */
  readonly steps: number;
}

export interface TimingOptions {
  /** Keep timing steps until this much time was spent... */
  readonly minTimedMs: number;
  /** ...or this many steps were timed. */
  readonly maxSteps: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Times the workload on the active backend. Reads results with `await data()` only: dataSync() hangs on WebGPU in Node. */
export async function timeProbeWorkload(options: TimingOptions): Promise<WorkloadTiming> {
  const { batch, size, channels, kernel } = probeShape;
  const [c0, c1, c2] = channels;
  const x = tf.randomNormal<tf.Rank.R4>([batch, size, size, c0], 0, 1, 'float32', 1);
  const w1 = tf.randomNormal<tf.Rank.R4>([kernel, kernel, c0, c1], 0, 0.1, 'float32', 2);
  const w2 = tf.randomNormal<tf.Rank.R4>([kernel, kernel, c1, c2], 0, 0.1, 'float32', 3);
  const lossAndGrads = tf.valueAndGrads((input: tf.Tensor, f1: tf.Tensor, f2: tf.Tensor) => {
    const hidden = tf.relu(conv2dSame(input as tf.Tensor4D, f1 as tf.Tensor4D));
    return conv2dSame(hidden, f2 as tf.Tensor4D).square().mean();
  });
  const step = async (): Promise<number> => {
    const started = performance.now();
    // One scalar that depends on every gradient: awaiting it waits for the whole step.
    const checksum = tf.tidy(() => {
      const { value, grads } = lossAndGrads([x, w1, w2]);
      return tf.addN([value, ...grads.map((g) => g.sum())]);
    });
    try {
      const [result] = await checksum.data();
      if (result === undefined || !Number.isFinite(result)) throw new Error(`the workload produced a non-finite result (${result})`);
    } finally {
      checksum.dispose();
    }
    return performance.now() - started;
  };
  try {
    await step(); // warm-up: shader compilation, buffer pools, JIT
    const times: number[] = [];
    let spent = 0;
    while (times.length < Math.max(1, options.maxSteps) && (times.length === 0 || spent < options.minTimedMs)) {
      const ms = await step();
      times.push(ms);
      spent += ms;
    }
    const stepMs = median(times);
    return { stepMs, gflops: probeStepFlops() / (stepMs * 1e6), steps: times.length };
  } finally {
    tf.dispose([x, w1, w2]);
  }
}
