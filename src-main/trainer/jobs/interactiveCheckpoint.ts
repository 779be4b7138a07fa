/**
 * The checkpoint of an interactive session: its network saved in the model
 * registry under the session's name (a fine-tuned model whose parent is the
 * init), with what a restarted trainer needs to continue it: the model
 * version, the grid, and the digest of the labels it was trained on, so that a
 * session resumed with the very same labels does not train again on them.
 */
import type * as tf from '@tensorflow/tfjs';
import { unetSpecJson } from '../../ml/serialize';
import type { UNet } from '../../ml/unet';
import type { ModelRecord } from '../../shared/contract/modelRecord';
import { defaultFinetuneMethod } from '../../shared/contract/trainer/finetuneMethod';
import type { InteractiveSettings } from '../../shared/contract/trainer/interactiveSchemas';
import type { LoadedModel, ModelRegistry } from '../../workspace/modelRegistry';
import type { JobBackend } from './jobContext';
import { saveModel } from './modelSaving';

/** Where the session runs: its settings, the backend it trains on, its init model and the series' grid. */
export interface CheckpointContext {
  readonly settings: InteractiveSettings;
  readonly registry: ModelRegistry;
  readonly backend: JobBackend;
  readonly parentId: string | null;
  readonly dimensions: readonly [number, number, number];
}

/** The network's state as saved: its weights, the optimiser's moments and the steps trained. */
export interface CheckpointNetwork {
  readonly unet: UNet;
  readonly optimizer: ReadonlyMap<string, tf.Tensor>;
  readonly steps: number;
}

/** Saves the network under the session's name (atomic in the registry); `labelsDigest` is null before any labels were folded in. */
export function saveSessionCheckpoint(context: CheckpointContext, network: CheckpointNetwork, modelVersion: number, labelsDigest: string | null): Promise<ModelRecord> {
  const { settings, registry, backend, parentId } = context;
  const { unet, steps } = network;
  const [nx, ny, nz] = context.dimensions;
  return saveModel(registry, unet.params, unetSpecJson(unet), network.optimizer, {
    name: settings.out,
    kind: 'finetuned',
    parentId,
    spec: { inChannels: unet.spec.inChannels, width: unet.spec.width, classes: unet.spec.classes, size: settings.settings.size },
    steps,
    totalSteps: steps,
    losses: {},
    backend: backend.kind,
    device: backend.device,
    data: { archiveRoot: null, labelsPath: null, series: [{ seriesId: settings.seriesId, path: null, slices: nz }], seriesCount: 1 },
    settings: { batch: settings.settings.batch, lr: settings.settings.lr, method: settings.settings.method ?? defaultFinetuneMethod, init: settings.init, interactive: true, grid: `${nx}x${ny}x${nz}`, modelVersion, ...(labelsDigest === null ? {} : { labelsDigest }) },
  });
}

/** The labels digest saved with the checkpoint this session resumes from, or null (not resuming, another model loaded, or no digest saved). */
export function resumedLabelsDigest(settings: InteractiveSettings, start: LoadedModel | null): string | null {
  const digest = start?.record.settings['labelsDigest'];
  return settings.resumeFrom !== null && start?.record.id === settings.resumeFrom && typeof digest === 'string' ? digest : null;
}
