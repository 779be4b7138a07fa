/**
 * What the fine-tuning diagnosis scripts (finetuneStability.ts, simcvdTerms.ts) load before a run:
 * the WASM backend, the labelled case with every non-zero truth voxel as one structure (as
 * `macl eval-pretrain --merge-labels`), and the pre-trained init named in the workspace, if any.
 */
import type * as tf from '@tensorflow/tfjs';
import { loadEvalCase } from '../../src-main/eval/evalInputs';
import type { EvalCase } from '../../src-main/eval/evalRun';
import { decodeParams } from '../../src-main/ml/serialize';
import { activateBackend } from '../../src-main/trainer/backends/loadBackend';
import { openModelRegistry } from '../../src-main/workspace/modelRegistry';

export interface BrainCase {
  readonly evalCase: EvalCase;
  /** The init's tensors, or null for scratch. */
  readonly init: Map<string, tf.Tensor> | null;
}

export async function loadBrainCase(image: string, truth: string, workspace: string, initName: string | undefined): Promise<BrainCase> {
  await activateBackend('wasm');
  const loaded = await loadEvalCase(image, truth, workspace);
  const evalCase = { ...loaded, truth: Uint8Array.from(loaded.truth, (v) => (v > 0 ? 1 : 0)) };
  const init = initName === undefined ? null : decodeParams((await (await openModelRegistry(workspace)).load(initName)).artifact);
  return { evalCase, init };
}
