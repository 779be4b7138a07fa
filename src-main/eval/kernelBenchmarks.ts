/**
 * Single training kernels of one U-Net layer timed alone on the active
 * backend (`macl bench-ml --kernels`): the conv forward, its input gradient
 * (tfjs's naive kernel, and its matmul form where the flag exists) and its
 * filter gradient in each form conv2dFastGrad.ts offers. Each figure is the
 * median wall time of a few runs, each ending in a read of one value, so it
 * includes one submit and wait: what a GPU step pays for that kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFilterGradViaForward } from '../ml/conv2dFastGrad';
import { timeSteps } from './mlBenchmarks';
import { conv2dFilterGradWebgpu } from '../ml/tfjsPatches/filterGrad';
import { webgpuProgramsAvailable } from '../ml/tfjsPatches/webgpuProgram';

export interface KernelFigure {
  readonly name: string;
  readonly ms: number;
}

/** Times the kernels of one 3x3 'same' conv layer [batch, size, size, channels] -> channels. */
export async function runKernelBenchmarks(shape: { batch: number; size: number; channels: number }, repeats = 5): Promise<KernelFigure[]> {
  const { batch, size, channels } = shape;
  const x = tf.randomUniform([batch, size, size, channels]) as tf.Tensor4D;
  const dy = tf.randomUniform([batch, size, size, channels]) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, channels, channels]) as tf.Tensor4D;
  const figures: KernelFigure[] = [];
  const add = async (name: string, run: () => tf.Tensor): Promise<void> => {
    // Each run ends in a read of one value: it includes one submit and wait.
    const once = async (): Promise<void> => {
      const out = tf.tidy(run);
      const first = tf.tidy(() => tf.slice(out.reshape([-1]), [0], [1]));
      await first.data();
      tf.dispose([out, first]);
    };
    figures.push({ name, ms: await timeSteps(once, repeats) });
  };
  try {
    await add('conv forward', () => tf.conv2d(x, w, 1, 'same'));
    await add('input gradient (tfjs)', () => tf.conv2dTranspose(dy, w, x.shape, 1, 'same'));
    const naive = tf.env().getFlags().WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE;
    if (naive !== undefined) {
      tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', !naive);
      await add(`input gradient (WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE=${String(!naive)})`, () => tf.conv2dTranspose(dy, w, x.shape, 1, 'same'));
      tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', naive);
    }
    // The WASM backend has no Conv2DBackpropFilter kernel: the trainer never uses that form there.
    if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined) {
      await add('filter gradient (tfjs Conv2DBackpropFilter)', () => tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 1, 'same'), dy)))(w));
    }
    await add('filter gradient (as a forward conv)', () => conv2dFilterGradViaForward(x, dy, 3));
    if (webgpuProgramsAvailable()) await add('filter gradient (split-K WebGPU kernel)', () => conv2dFilterGradWebgpu(x, dy, 3));
  } finally {
    tf.dispose([x, dy, w]);
  }
  return figures;
}
