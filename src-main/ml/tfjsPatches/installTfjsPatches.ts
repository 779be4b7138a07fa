/**
 * Every change this project makes to tfjs, in one place and switched from one
 * function that the backend loader calls once a backend is active
 * (src-main/trainer/backends/backendTuning.ts, which reads the environment):
 *
 * - reductionGradients.ts: Sum and Mean gradients as a broadcast of dy (any backend);
 * - webgpuSmallUploads.ts: small CPU-made tensors reach the GPU by
 *   queue.writeBuffer (webgpu; replaces a prototype method, relies on private members);
 * - the hand-written WebGPU training kernels filterGrad.ts and fusedAdam.ts
 *   (registered as tfjs kernels when imported; kernelChoice.ts says which are used);
 * - wasmSharedIdentity.ts: the WASM backend's Identity shares its input's data
 *   instead of copying it (replaces a registered kernel; relies on BackendWasm.incRef).
 *
 * They were written against the tfjs internals of one release, pinned exactly
 * in package.json. Under any other version every patch is off and tfjs runs
 * stock (slower, never wrong); tests/unit/ml/tfjsPatchVersion.test.ts fails
 * so that the patches are re-checked before the pin moves.
 */
import * as tf from '@tensorflow/tfjs';
import { setWebgpuKernels, webgpuKernelNames, type WebgpuKernelName } from './kernelChoice';
import { setReductionGradients } from './reductionGradients';
import { setWasmSharedIdentity } from './wasmSharedIdentity';
import { patchSmallUploads, unpatchSmallUploads } from './webgpuSmallUploads';

/** The tfjs release (tfjs, tfjs-core, the backends) these patches were written for and checked against. */
export const patchedTfjsVersion = '4.22.0';

/** Which patches to use. */
export interface TfjsPatchChoice {
  readonly reductionGradients: boolean;
  readonly smallUploads: boolean;
  readonly webgpuKernels: readonly WebgpuKernelName[];
  readonly wasmSharedIdentity: boolean;
}

export const allTfjsPatches: TfjsPatchChoice = { reductionGradients: true, smallUploads: true, webgpuKernels: webgpuKernelNames, wasmSharedIdentity: true };
export const noTfjsPatches: TfjsPatchChoice = { reductionGradients: false, smallUploads: false, webgpuKernels: [], wasmSharedIdentity: false };

/** Null when `versions` (tf.version's form) are the patched release, else what differs. */
export function tfjsVersionMismatch(versions: Readonly<Record<string, string>> = tf.version): string | null {
  const other = Object.entries(versions).filter(([, version]) => version !== patchedTfjsVersion);
  return other.length === 0 ? null : `tfjs ${other.map(([name, version]) => `${name} ${version}`).join(', ')} is not ${patchedTfjsVersion}, the version the project's tfjs patches were written for`;
}

/**
 * Switches each patch on or off for the active backend (the WebGPU ones only
 * when it is webgpu; elsewhere the kernel choice is left as it is). Returns one
 * message per patch that could not be applied; under another tfjs version
 * everything is switched off and the message says why.
 */
export function installTfjsPatches(choice: TfjsPatchChoice = allTfjsPatches, versions: Readonly<Record<string, string>> = tf.version): string[] {
  const mismatch = tfjsVersionMismatch(versions);
  const use = mismatch === null ? choice : noTfjsPatches;
  const problems = mismatch === null ? [] : [`${mismatch}: running tfjs without them`];
  setReductionGradients(use.reductionGradients);
  setWasmSharedIdentity(use.wasmSharedIdentity);
  if (tf.getBackend() === 'webgpu') {
    setWebgpuKernels(use.webgpuKernels);
    if (!use.smallUploads) unpatchSmallUploads(tf.backend());
    else {
      const notPatched = patchSmallUploads(tf.backend());
      if (notPatched !== null) problems.push(`small uploads stay on tfjs's path: ${notPatched}`);
    }
  }
  return problems;
}
