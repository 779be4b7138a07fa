/**
 * Loads one compute backend and makes it tfjs's active backend. Never throws:
 * every way a backend can be missing ends as a reason for the probe report.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendKind } from '../../shared/contract/compute';
import { describeThrown, type BackendLoad } from './backendLoad';
import { loadCpu } from './loadCpu';
import { loadTensorflow } from './loadTensorflow';
import { loadWasm } from './loadWasm';
import { loadWebgpu } from './loadWebgpu';
import { tuneActiveBackend } from './backendTuning';
import { quietTfjsUnlessVerbose } from './thirdPartyOutput';

export function loadBackend(kind: BackendKind): Promise<BackendLoad> {
  switch (kind) {
    case 'tensorflow':
      return loadTensorflow();
    case 'webgpu':
    case 'webgpu-swiftshader':
      return loadWebgpu(kind);
    case 'wasm':
      return loadWasm({ log: (line) => void process.stderr.write(`${line}\n`) });
    case 'cpu':
      return loadCpu();
  }
}

/** Loads `kind`, then tf.setBackend + tf.ready. */
export async function activateBackend(kind: BackendKind): Promise<BackendLoad> {
  const load = await loadBackend(kind);
  if (!load.ok) return load;
  try {
    // setBackend returns false (and logs the error) when the backend's factory throws.
    if (!(await tf.setBackend(load.tfName))) {
      return { ok: false, device: load.device, reason: `tfjs could not initialise the "${load.tfName}" backend (its error is in the trainer log)` };
    }
    await tf.ready();
    quietTfjsUnlessVerbose();
    // After activation: a backend's flags exist only once its package is loaded.
    for (const problem of tuneActiveBackend()) process.stderr.write(`${problem}\n`);
  } catch (thrown) {
    return { ok: false, device: load.device, reason: `activating "${load.tfName}" failed: ${describeThrown(thrown)}` };
  }
  return load;
}
