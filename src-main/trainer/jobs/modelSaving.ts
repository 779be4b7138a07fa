/**
 * Saving a trained model (and its optimiser state, so a later run continues
 * warm) into the registry, and reading one back into a live model.
 */
import * as tf from '@tensorflow/tfjs';
import { exportParams, loadParams, type ModelSpecJson, type ParamArtifact } from '../../ml/serialize';
import type { ParamStore } from '../../ml/paramStore';
import type { ModelMeta, ModelRecord } from '../../shared/contract/modelRecord';
import type { ModelRegistry } from '../../workspace/modelRegistry';

/** Encodes `params` (+ the optimiser tensors under extra/) and saves them with `meta`. */
export async function saveModel(
  registry: ModelRegistry,
  params: ParamStore,
  spec: ModelSpecJson,
  optimizer: ReadonlyMap<string, tf.Tensor>,
  meta: Omit<ModelMeta, 'optimizerState'>,
): Promise<ModelRecord> {
  const artifact = await exportParams(params, spec, optimizer);
  return registry.save(artifact, { ...meta, optimizerState: optimizer.size > 0 });
}

/**
 * Assigns the artifact's parameters to `params` and returns its optimiser
 * tensors (the caller disposes them; an empty map when none were saved).
 */
export function restoreModel(params: ParamStore, artifact: ParamArtifact): Map<string, tf.Tensor> {
  return loadParams(params, artifact);
}

/** Disposes every tensor of a map. */
export function disposeAll(tensors: ReadonlyMap<string, tf.Tensor>): void {
  tf.dispose([...tensors.values()]);
}
