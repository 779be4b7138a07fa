/**
 * Settings the trainer applies to a backend once it is active, measured on an
 * H200 (docs/benchmarks.md, GPU section), then the environment's overrides:
 *
 * - the project's tfjs patches (src-main/ml/tfjsPatches/installTfjsPatches.ts),
 *   each on unless switched off: MACL_REDUCTION_GRADIENTS=0 (Sum/Mean
 *   gradients), MACL_WEBGPU_SMALL_UPLOADS=0 (webgpu small uploads),
 *   MACL_WEBGPU_KERNELS ("all", "none", "adam,filtergrad": the hand-written
 *   WebGPU training kernels in use), MACL_WASM_SHARED_IDENTITY=0 (the WASM
 *   backend's Identity copies again);
 * - webgpu: tfjs submits its command buffer every 128 dispatches instead of 15
 *   (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE; a fine-tuning step has ~3,500).
 *
 * Any backend: MACL_TFJS_FLAGS (tfjsFlagsSetting.ts) last, so it can undo these.
 * Returns one message per setting that could not be applied.
 */
import * as tf from '@tensorflow/tfjs';
import { installTfjsPatches } from '../../ml/tfjsPatches/installTfjsPatches';
import { parseWebgpuKernels, webgpuKernelNames } from '../../ml/tfjsPatches/kernelChoice';
import { applyTfjsFlagsSetting } from '../tfjsFlagsSetting';

/** Dispatches per command-buffer submit on webgpu. */
export const webgpuSubmitBatch = 128;

export function tuneActiveBackend(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const problems: string[] = [];
  const webgpu = tf.getBackend() === 'webgpu';
  const kernels = webgpu ? parseWebgpuKernels(env.MACL_WEBGPU_KERNELS) : webgpuKernelNames;
  if (kernels === null) problems.push(`MACL_WEBGPU_KERNELS must be all, none or a comma list of ${webgpuKernelNames.join(', ')}, got "${env.MACL_WEBGPU_KERNELS ?? ''}"; using all.`);
  problems.push(
    ...installTfjsPatches({
      reductionGradients: env.MACL_REDUCTION_GRADIENTS !== '0',
      smallUploads: env.MACL_WEBGPU_SMALL_UPLOADS !== '0',
      webgpuKernels: kernels ?? webgpuKernelNames,
      wasmSharedIdentity: env.MACL_WASM_SHARED_IDENTITY !== '0',
    }),
  );
  if (webgpu) tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', webgpuSubmitBatch);
  return [...problems, ...applyTfjsFlagsSetting(env)];
}
