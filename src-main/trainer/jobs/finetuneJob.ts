/**
 * The fine-tuning job: an image and its sparse labels -> a 'finetuned'
 * U-Net in the registry. The U-Net starts from scratch (init 'none'), from
 * a pre-trained model (encoder + decoder blocks 1-2 transferred), or from a
 * fine-tuned one (all weights and its Adam state: warm continuation). Only
 * labelled voxels carry loss. Progress per step; optional checkpoints; a
 * non-finite loss or an out-of-memory stops the run naming what was kept.
 * Cancelling stops without saving.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../../shared/cancellation';
import { createFinetuner, type Finetuner, type FinetuneStepResult } from '../../ml/finetuner';
import { checkTrainingSize } from '../../ml/resample';
import { decodeParams, unetSpecJson } from '../../ml/serialize';
import { methodExtension } from '../../ml/simcvd/finetuneMethod';
import { createFinetuneUNet } from '../../ml/transfer';
import { createUNet, type UNet } from '../../ml/unet';
import { unetDivisor } from '../../ml/unetSpec';
import { labelFilePath } from '../../labels/labelPaths';
import type { ModelMeta, ModelRecord } from '../../shared/contract/modelRecord';
import { stepMemoryProblem } from '../../shared/contract/stepMemory';
import { openModelRegistry, type LoadedModel } from '../../workspace/modelRegistry';
import { finetuneDataOf, labelledSlices } from './finetuneData';
import { loadImageInput } from './imageInput';
import { createRateMeter, stopRequested, stoppedRunError, yieldToEventLoop, type JobContext } from './jobContext';
import { asOutOfMemory } from './jobErrors';
import { finetuneParamsSchema, type FinetuneEvent, type FinetuneParams, type FinetuneSettings } from '../../shared/contract/trainer/jobSchemas';
import { readTrainingLabels } from './labelInput';
import { disposeAll, restoreModel, saveModel } from './modelSaving';
import { modelVolumeOf } from './resizeVolume';
import { recalibrateBatchNorm, recalibrateByDefault } from '../../ml/bnRecalibration';

interface StartingModel {
  readonly unet: UNet;
  /** Adam moments of a warm start (the caller disposes them). */
  readonly optimizer: Map<string, tf.Tensor>;
  readonly startStep: number;
}

/** Builds the U-Net the run starts from (see the module comment). */
function startingModel(init: LoadedModel | null, settings: FinetuneSettings, maxLabel: number): StartingModel {
  const needClasses = (fromInit: number | null): number => {
    const classes = settings.classes ?? fromInit ?? Math.max(2, maxLabel + 1);
    if (maxLabel >= classes) throw new Error(`The labels go up to ${maxLabel}, but the model has ${classes} classes (0..${classes - 1}); give --classes ${maxLabel + 1} or more.`);
    return classes;
  };
  if (init === null) return { unet: createUNet({ classes: needClasses(null), width: settings.width, seed: settings.seed }), optimizer: new Map(), startStep: 0 };
  const { spec } = init.artifact;
  if (spec.kind === 'unet') {
    if (settings.classes !== undefined && settings.classes !== spec.classes) {
      throw new Error(`"${init.record.name}" is a fine-tuned U-Net with ${spec.classes} classes; it cannot continue with ${settings.classes}. Start from a pre-trained model or from none instead.`);
    }
    const unet = createUNet({ classes: needClasses(spec.classes), width: spec.width, inChannels: spec.inChannels });
    try {
      return { unet, optimizer: restoreModel(unet.params, init.artifact), startStep: init.record.steps };
    } catch (thrown) {
      unet.dispose();
      throw thrown;
    }
  }
  const tensors = decodeParams(init.artifact);
  try {
    const unet = createFinetuneUNet({ classes: needClasses(null), width: spec.width, inChannels: spec.inChannels, seed: settings.seed }, tensors);
    return { unet, optimizer: new Map(), startStep: 0 };
  } finally {
    disposeAll(tensors);
  }
}

/** Runs a fine-tuning; resolves with the saved model's record. */
export async function runFinetuneJob(params: FinetuneParams, ctx: JobContext<FinetuneEvent>): Promise<ModelRecord> {
  const settings = finetuneParamsSchema.parse(params);
  const started = performance.now();
  const { emit, signal } = ctx;
  checkTrainingSize(settings.size, unetDivisor, 'Fine-tuning');
  const registry = await openModelRegistry(settings.workspaceDir);
  const existing = await registry.latest(settings.out);
  if (existing !== null && existing.kind !== 'finetuned') {
    throw new Error(`"${settings.out}" is the name of a pre-trained model in ${registry.dir}; choose another name for the fine-tuned model.`);
  }
  const init = settings.init === 'none' ? null : await registry.load(settings.init);
  // Before any work: past WASM's heap the module aborts and takes the trainer down.
  const width = init?.record.spec.width ?? settings.width;
  const tooLarge = stepMemoryProblem(tf.getBackend(), { batch: settings.batch, size: settings.size, width }, 'Fine-tuning with these settings');
  if (tooLarge !== null) throw new Error(tooLarge);

  emit({ type: 'loading', done: 0, total: 2, message: 'reading the image' });
  const image = await loadImageInput(settings.image, settings.workspaceDir, signal);
  const labelsFile = settings.labels ?? ('seriesId' in settings.image ? labelFilePath(settings.workspaceDir, settings.image.seriesId) : null);
  if (labelsFile === null) throw new Error('Give the labels: a NIfTI label map on the image grid, or a workspace labels file.');
  emit({ type: 'loading', done: 1, total: 2, message: `reading the labels ${labelsFile}` });
  const labels = await readTrainingLabels(labelsFile, image.volume.geometry);
  const maxLabel = Math.max(...labels.counts.keys());
  const [nx, ny, nz] = image.volume.geometry.dimensions;
  const slices = labelledSlices(labels.labels, nx, ny, nz);
  const labelledVoxels = Object.fromEntries([...labels.counts].map(([value, count]) => [String(value), count]));
  emit({ type: 'loading', done: 2, total: 2, message: `${slices.length} labelled slices; labelled voxels per class: ${JSON.stringify(labelledVoxels)}` });
  if (init !== null && init.record.spec.size !== settings.size) emit({ type: 'note', message: `"${init.record.name}" was trained at size ${init.record.spec.size}; fine-tuning at ${settings.size}.` });

  // Normalised once: training data, the SimCVD extension and every save's recalibration read it.
  const volume = modelVolumeOf(image.volume);
  const start = startingModel(init, settings, maxLabel);
  const { unet } = start;
  let trainer: Finetuner | null = null;
  let lastSaved: ModelRecord | null = null;
  let last: FinetuneStepResult | null = null;
  const totalSteps = start.startStep + settings.steps;
  const meta = (steps: number): Omit<ModelMeta, 'optimizerState'> => ({
    name: settings.out,
    kind: 'finetuned',
    parentId: init?.record.id ?? null,
    spec: { inChannels: unet.spec.inChannels, width: unet.spec.width, classes: unet.spec.classes, size: settings.size },
    steps,
    totalSteps,
    losses: last === null ? {} : { loss: last.loss },
    backend: ctx.backend.kind,
    device: ctx.backend.device,
    data: { archiveRoot: null, labelsPath: labelsFile, series: [{ seriesId: image.seriesId, path: image.path, slices: nz, labelledVoxels }], seriesCount: 1 },
    settings: { batch: settings.batch, lr: settings.lr, seed: settings.seed, init: settings.init, labelledSlices: slices.length, method: settings.method },
  });
  const save = async (active: Finetuner): Promise<ModelRecord> => {
    // The saved statistics then describe the whole scan, not the batches of its labelled slices that
    // training left (docs/eval-protocol.md, "Late collapses"); training's own forward passes use batch statistics.
    if (recalibrateByDefault) await recalibrateBatchNorm(unet, volume, { size: settings.size });
    lastSaved = await saveModel(registry, unet.params, unetSpecJson(unet), active.checkpointState().optimizer, meta(active.step));
    return lastSaved;
  };

  try {
    const extension = methodExtension(settings.method, unet, volume, slices, settings.size, settings.seed + 2);
    const created = createFinetuner(unet, { totalSteps: settings.steps, batch: settings.batch, lr: settings.lr, seed: settings.seed, ...(extension === undefined ? {} : { extension }) });
    trainer = ctx.wrapFinetuner?.(created) ?? created;
    if (start.optimizer.size > 0) trainer.restoreState({ step: start.startStep, optimizer: start.optimizer });
    const data = finetuneDataOf(volume, labels.labels, slices, settings.size);
    try {
      await trainer.setData(data);
    } finally {
      data.images.dispose();
      data.labels.dispose();
    }
    const meter = createRateMeter();
    for (let i = 1; i <= settings.steps; i++) {
      await yieldToEventLoop();
      if (stopRequested(signal)) throw new CancelledError(`Fine-tuning "${settings.out}" at step ${i - 1}`);
      const stepStarted = performance.now();
      last = await trainer.steps(1);
      const rate = meter.add(settings.batch, performance.now() - stepStarted, settings.steps - i);
      emit({ type: 'progress', step: i, totalSteps: settings.steps, losses: { loss: last.loss }, lr: last.lr, ...rate });
      if (settings.checkpointEvery > 0 && i % settings.checkpointEvery === 0 && i < settings.steps) {
        emit({ type: 'checkpoint', step: trainer.step, model: await save(trainer) });
      }
    }
    const final = await save(trainer);
    await registry.pruneCheckpoints(settings.out, 0);
    emit({ type: 'done', model: final, seconds: (performance.now() - started) / 1000 });
    return final;
  } catch (thrown) {
    if (thrown instanceof CancelledError) throw thrown;
    throw stoppedRunError(asOutOfMemory(thrown, { what: 'Fine-tuning', batch: settings.batch, size: settings.size }), lastSaved);
  } finally {
    disposeAll(start.optimizer);
    trainer?.dispose();
    unet.dispose();
  }
}
