/**
 * Settings the trainer applies to a backend once it is active, measured on an
 * H200 (docs/benchmarks.md, GPU section), then the environment's overrides:
 *
 * webgpu
 * - small CPU tensors reach the GPU by queue.writeBuffer (webgpuSmallUploads.ts);
 * - tfjs submits its command buffer every 128 dispatches instead of 15
 *   (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE; a fine-tuning step has ~3,500);
 * - the hand-written training kernels (src-main/ml/gpuKernels) are on, or the
 *   ones MACL_WEBGPU_KERNELS names ("all", "none", "adam,filtergrad").
 *
 * Any backend: MACL_TFJS_FLAGS (tfjsFlagsSetting.ts) last, so it can undo these.
 * Returns one message per setting that could not be applied.
 */
import * as tf from '@tensorflow/tfjs';
import { parseWebgpuKernels, setWebgpuKernels, webgpuKernelNames } from '../../ml/gpuKernels/kernelChoice';
import { applyTfjsFlagsSetting } from '../tfjsFlagsSetting';
import { patchSmallUploads } from './webgpuSmallUploads';

/** Dispatches per command-buffer submit on webgpu. */
export const webgpuSubmitBatch = 128;

export function tuneActiveBackend(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const problems: string[] = [];
  if (tf.getBackend() === 'webgpu') {
    const upload = env.MACL_WEBGPU_SMALL_UPLOADS === '0' ? null : patchSmallUploads(tf.backend());
    if (upload !== null) problems.push(`small uploads stay on tfjs's path: ${upload}`);
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', webgpuSubmitBatch);
    const kernels = parseWebgpuKernels(env.MACL_WEBGPU_KERNELS);
    if (kernels === null) problems.push(`MACL_WEBGPU_KERNELS must be all, none or a comma list of ${webgpuKernelNames.join(', ')}, got "${env.MACL_WEBGPU_KERNELS ?? ''}"; using all.`);
    setWebgpuKernels(kernels ?? webgpuKernelNames);
  }
  return [...problems, ...applyTfjsFlagsSetting(env)];
}
