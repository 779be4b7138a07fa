/**
 * The U-Net of an interactive session: built from its init (scratch, a
 * pre-trained model's encoder + decoder 1-2, or a fine-tuned model with its
 * Adam state, warm) or from the session's own checkpoint after a trainer
 * restart; and grown when a new segment appears. Classes are the segment
 * labels themselves (0 = background), so a label L needs L + 1 classes: the
 * head (a 1x1 conv) gets new output channels, the old ones keep their
 * weights, the new ones start freshly initialised; the head's Adam moments
 * restart (the rest of the network keeps them).
 */
import * as tf from '@tensorflow/tfjs';
import { decodeParams } from '../../ml/serialize';
import { createFinetuneUNet } from '../../ml/transfer';
import { createUNet, type UNet } from '../../ml/unet';
import type { InitPretraining } from '../../shared/contract/sessionApi';
import { describePretraining } from '../../shared/pretrainingText';
import type { ModelRecord } from '../../shared/contract/modelRecord';
import type { LoadedModel, ModelRegistry } from '../../workspace/modelRegistry';
import { disposeAll, restoreModel } from './modelSaving';

/** Where a session's model came from (the app contract's SessionInitInfo). */
export interface InitInfo {
  readonly kind: 'pretrained' | 'finetuned' | 'none';
  readonly modelId: string | null;
  readonly name: string;
  readonly message: string;
  readonly pretraining?: InitPretraining;
}

/** A pre-trained record as the session reports it. */
export function pretrainingOf(record: ModelRecord): InitPretraining {
  return {
    name: record.name,
    version: record.version,
    archive: record.data.archiveRoot,
    seriesCount: record.data.seriesCount,
    steps: record.steps,
    totalSteps: record.totalSteps,
    created: record.created,
  };
}

/** The pre-training a fine-tuned model goes back to (its chain of parents), or undefined when there is none or a parent was removed. */
async function pretrainingBehind(registry: ModelRegistry, record: ModelRecord): Promise<InitPretraining | undefined> {
  const seen = new Set<string>();
  let current: ModelRecord = record;
  while (current.kind !== 'pretrained') {
    const parent = current.parentId;
    if (parent === null || seen.has(parent)) return undefined;
    seen.add(parent);
    try {
      current = await registry.find(parent);
    } catch {
      return undefined; // the parent was removed from the registry: the lineage is unknown, not an error
    }
  }
  return pretrainingOf(current);
}

/** A built model and the optimiser state it continues with (the caller disposes both). */
export interface SessionModel {
  readonly unet: UNet;
  readonly optimizer: Map<string, tf.Tensor>;
  readonly step: number;
}

const headPrefix = 'head.';

/** Classes for labels up to `maxLabel`: at least background + one structure. */
export function classesFor(maxLabel: number): number {
  return Math.max(2, maxLabel + 1);
}

/** Loads `init` ('none' or a registry id/name) for the session; the info says what it is, for the user. */
export async function loadInit(registry: ModelRegistry, init: string): Promise<{ loaded: LoadedModel | null; info: InitInfo }> {
  if (init === 'none') return { loaded: null, info: { kind: 'none', modelId: null, name: 'none', message: 'Training from scratch (no initial model).' } };
  const loaded = await registry.load(init);
  const { record } = loaded;
  const pretraining = await pretrainingBehind(registry, record);
  const lineage = pretraining === undefined ? '' : record.kind === 'pretrained' ? ` It was ${describePretraining(pretraining)}.` : ` It started from "${pretraining.name}" version ${pretraining.version}, ${describePretraining(pretraining)}.`;
  const message = record.kind === 'pretrained'
    ? `Starting from the pre-trained model "${record.name}" (version ${record.version}, ${record.steps} steps).${lineage}`
    : `Continuing the fine-tuned model "${record.name}" (version ${record.version}, ${record.steps} steps).${lineage}`;
  return { loaded, info: { kind: record.kind, modelId: record.id, name: record.name, message, ...(pretraining === undefined ? {} : { pretraining }) } };
}

/** Builds the session's U-Net from a loaded model (or scratch) with at least `classes` classes. */
export function buildModel(loaded: LoadedModel | null, classes: number, width: number, seed: number): SessionModel {
  if (loaded === null) return { unet: createUNet({ classes, width, seed }), optimizer: new Map(), step: 0 };
  const { spec } = loaded.artifact;
  if (spec.kind === 'unet') {
    const unet = createUNet({ classes: spec.classes, width: spec.width, inChannels: spec.inChannels });
    let optimizer: Map<string, tf.Tensor>;
    try {
      optimizer = restoreModel(unet.params, loaded.artifact);
    } catch (thrown) {
      unet.dispose();
      throw thrown;
    }
    const model: SessionModel = { unet, optimizer, step: loaded.record.steps };
    return classes > spec.classes ? growClasses(model, classes, seed) : model;
  }
  const tensors = decodeParams(loaded.artifact);
  try {
    return { unet: createFinetuneUNet({ classes, width: spec.width, inChannels: spec.inChannels, seed }, tensors), optimizer: new Map(), step: 0 };
  } finally {
    disposeAll(tensors);
  }
}

/**
 * The model with `classes` output classes (more than it has): every
 * parameter copied, the head's old channels kept and new ones fresh. Takes
 * over `model` (disposes its U-Net and the head's moments).
 */
export function growClasses(model: SessionModel, classes: number, seed: number): SessionModel {
  const old = model.unet;
  if (classes <= old.spec.classes) return model;
  const grown = createUNet({ classes, width: old.spec.width, inChannels: old.spec.inChannels, seed });
  try {
    for (const [name, variable] of grown.params.entries()) {
      const source = old.params.get(name);
      if (!name.startsWith(headPrefix)) {
        variable.assign(source);
        continue;
      }
      // The class axis is the last one of the head's weight [1, 1, f, K] and bias [K].
      const axis = source.rank - 1;
      const kept = source.shape[axis] as number;
      const value = tf.tidy(() => {
        const begin = source.shape.map((_, i) => (i === axis ? kept : 0));
        const size = source.shape.map((n, i) => (i === axis ? classes - kept : n));
        return tf.concat([source, tf.slice(variable, begin, size)], axis);
      });
      variable.assign(value);
      value.dispose();
    }
  } catch (thrown) {
    grown.dispose();
    throw thrown;
  }
  const optimizer = new Map<string, tf.Tensor>();
  for (const [name, tensor] of model.optimizer) {
    if (name.startsWith(headPrefix)) tensor.dispose();
    else optimizer.set(name, tensor);
  }
  old.dispose();
  return { unet: grown, optimizer, step: model.step };
}
