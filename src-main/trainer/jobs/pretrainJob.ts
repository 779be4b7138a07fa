/**
 * The pre-training job: archive -> MACL pre-training -> registry. Scans the
 * archive (or reuses its scan index), keeps a pool of normalised volumes,
 * draws depth-stratified slices with their positions, and runs the
 * pre-trainer's steps, reporting each one. Every `checkpointEvery` steps (and
 * when cancelled) it saves a checkpoint with the SGD momentum state; run
 * again with the same `out` name it resumes from the newest checkpoint,
 * weights and optimiser state included. A non-finite loss or an
 * out-of-memory stops the run with a message naming the checkpoint kept.
 */
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../../shared/cancellation';
import { createMaclModel } from '../../ml/maclModel';
import { createPretrainer, type Pretrainer, type PretrainStepResult } from '../../ml/pretrainer';
import { checkTrainingSize } from '../../ml/resample';
import { maclSpecJson } from '../../ml/serialize';
import { createSliceSampler, type SliceSampler } from '../../ml/sliceSampler';
import { pretrainDivisor } from '../../ml/unetSpec';
import type { ModelDataSeries, ModelMeta, ModelRecord } from '../../shared/contract/modelRecord';
import { stepMemoryProblem, trainingStepBytes } from '../../shared/contract/stepMemory';
import { openModelRegistry } from '../../workspace/modelRegistry';
import { openArchivePool, selectArchiveSeries, type ArchivePool } from './archivePool';
import { createRateMeter, stopRequested, stoppedRunError, yieldToEventLoop, type JobContext } from './jobContext';
import { asOutOfMemory } from './jobErrors';
import { pretrainParamsSchema, type PretrainEvent, type PretrainParams } from '../../shared/contract/trainer/jobSchemas';
import { disposeAll, restoreModel, saveModel } from './modelSaving';

/** Intermediate checkpoints kept per name while a run goes on (older ones are removed). */
const keptCheckpoints = 2;
/** Series listed in a record's data (an archive may have thousands; seriesCount has the total). */
const listedSeries = 200;
/** Files and series left out that the run's note names (the rest are counted). */
const listedLeftOut = 20;

function samplerOf(pool: ArchivePool, size: number, seed: number): SliceSampler {
  return createSliceSampler(pool.volumes.map((v) => v.volume), { size, seed });
}

/** Pre-training settings where the job gives none: the reference recipe's on a GPU; on the processor backends (wasm, cpu) a set that fits WASM's 4 GiB heap (~0.5 GiB a step). */
export const pretrainDefaults = {
  reference: { size: 256, batch: 16, width: 32 },
  processor: { size: 64, batch: 8, width: 16 },
} as const;

/** Runs (or resumes) a pre-training; resolves with the final model's record. */
export async function runPretrainJob(params: PretrainParams, ctx: JobContext<PretrainEvent>): Promise<ModelRecord> {
  const settings = pretrainParamsSchema.parse(params);
  const started = performance.now();
  const { emit, signal } = ctx;
  const registry = await openModelRegistry(settings.workspaceDir);
  const previous = await registry.latest(settings.out);
  if (previous !== null && previous.kind !== 'pretrained') {
    throw new Error(`"${settings.out}" is the name of a fine-tuned model in ${registry.dir}; choose another name for a pre-training.`);
  }
  // Processor backends get settings that fit WASM's heap and a processor's speed when none are given.
  const processor = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  const defaults = processor ? pretrainDefaults.processor : pretrainDefaults.reference;
  const width = settings.width ?? previous?.spec.width ?? defaults.width;
  const size = settings.size ?? previous?.spec.size ?? defaults.size;
  const batch = settings.batch ?? defaults.batch;
  if (previous !== null && (previous.spec.width !== width || previous.spec.size !== size)) {
    throw new Error(`"${settings.out}" was pre-trained with width ${previous.spec.width} and size ${previous.spec.size}; resuming it with width ${width} and size ${size} is not possible. Leave those options out to resume, or choose another name.`);
  }
  if (processor && previous === null && (settings.width === undefined || settings.size === undefined || settings.batch === undefined)) {
    const gpu = pretrainDefaults.reference;
    emit({ type: 'note', message: `On the ${tf.getBackend()} backend (no GPU) pre-training defaults to size ${defaults.size}, batch ${defaults.batch}, width ${defaults.width} where not given: the GPU set (size ${gpu.size}, batch ${gpu.batch}, width ${gpu.width}) needs ~${(trainingStepBytes(gpu) / 2 ** 30).toFixed(0)} GiB a step, over WASM's 4 GiB, and is far too slow on a processor.` });
  }
  checkTrainingSize(size, pretrainDivisor, 'Pre-training');
  // Before any work: past WASM's heap the module aborts, taking the trainer (and, resumed, again) down.
  const tooLarge = stepMemoryProblem(tf.getBackend(), { batch, size, width }, 'Pre-training with these settings');
  if (tooLarge !== null) throw new Error(tooLarge);
  if (previous !== null && previous.steps >= settings.steps) {
    emit({ type: 'note', message: `"${settings.out}" already has ${previous.steps} steps (asked for ${settings.steps}); nothing to do. Give more --steps to continue it.` });
    emit({ type: 'done', model: previous, seconds: (performance.now() - started) / 1000 });
    return previous;
  }

  const selection = await selectArchiveSeries(settings.archive, settings.workspaceDir, settings.minSlices, signal, (progress) =>
    emit({ type: 'loading', done: progress.filesDone, total: progress.filesTotal, message: `scanning the archive (${progress.phase})` }),
  );
  const niftiCount = selection.usable.filter((s) => s.source === 'nifti').length;
  emit({ type: 'note', message: `The archive holds ${selection.usable.length - niftiCount} usable DICOM series and ${niftiCount} usable NIfTI volumes.` });
  if (selection.skipped.length > 0) {
    const listed = selection.skipped.slice(0, listedLeftOut);
    const more = selection.skipped.length - listed.length;
    emit({ type: 'note', message: `Left out of the pre-training (${selection.skipped.length}):\n  ${listed.join('\n  ')}${more > 0 ? `\n  and ${more} more` : ''}` });
  }
  const pool = await openArchivePool(selection.usable, {
    size,
    capacity: settings.poolVolumes,
    seed: settings.seed,
    ...(signal === undefined ? {} : { signal }),
    onLoad: (done, total, message) => emit({ type: 'loading', done, total, message }),
    onSkip: (message) => emit({ type: 'note', message }),
  });

  const model = createMaclModel({ width, seed: settings.seed });
  let trainer: Pretrainer | null = null;
  let lastSaved: ModelRecord | null = previous;
  let last: PretrainStepResult | null = null;
  const dataSeries = (): ModelDataSeries[] => {
    const earlier = previous?.data.series ?? [];
    const known = new Set(earlier.map((s) => s.seriesId));
    const added = pool.used.filter((s) => !known.has(s.seriesId)).map((s) => ({ seriesId: s.seriesId, path: s.slices[0]?.path ?? null, slices: s.sliceCount }));
    return [...earlier, ...added];
  };
  const meta = (steps: number): Omit<ModelMeta, 'optimizerState'> => {
    const series = dataSeries();
    return {
      name: settings.out,
      kind: 'pretrained',
      parentId: null,
      spec: { inChannels: 1, width, classes: null, size },
      steps,
      totalSteps: settings.steps,
      losses: last === null ? (previous?.losses ?? {}) : { total: last.total, global: last.global, dense: last.dense, er: last.er },
      backend: ctx.backend.kind,
      device: ctx.backend.device,
      data: { archiveRoot: selection.root, labelsPath: null, series: series.slice(0, listedSeries), seriesCount: Math.max(series.length, previous?.data.seriesCount ?? 0) },
      settings: { batch, lr: settings.lr, seed: settings.seed, poolVolumes: settings.poolVolumes },
    };
  };
  const save = async (active: Pretrainer): Promise<ModelRecord> => {
    const record = await saveModel(registry, model.params, maclSpecJson(model), active.checkpointState().optimizer, meta(active.step));
    lastSaved = record;
    return record;
  };

  try {
    const created = createPretrainer(model, { totalSteps: settings.steps, lr: settings.lr, seed: settings.seed + (previous?.steps ?? 0) });
    trainer = ctx.wrapPretrainer?.(created) ?? created;
    if (previous !== null) {
      const { artifact } = await registry.load(previous.id);
      if (artifact.spec.kind !== 'macl-pretrain') throw new Error(`The checkpoint ${previous.id} holds a ${artifact.spec.kind} model, not a pre-training module.`);
      const optimizer = restoreModel(model.params, artifact);
      try {
        trainer.restoreState({ step: previous.steps, optimizer });
      } finally {
        disposeAll(optimizer);
      }
      emit({ type: 'note', message: `Resuming "${settings.out}" from version ${previous.version} at step ${previous.steps} of ${settings.steps}${previous.optimizerState ? ' (with its optimiser state)' : ''}.` });
    }
    let sampler = samplerOf(pool, size, settings.seed + trainer.step);
    const meter = createRateMeter();
    while (trainer.step < settings.steps) {
      await yieldToEventLoop();
      if (stopRequested(signal)) {
        if (trainer.step > (lastSaved?.steps ?? 0)) emit({ type: 'checkpoint', step: trainer.step, model: await save(trainer) });
        throw new CancelledError(`Pre-training "${settings.out}" at step ${trainer.step}`);
      }
      const stepStarted = performance.now();
      const images = sampler.sample(batch);
      try {
        last = await trainer.trainStep({ images: images.images, positions: images.positions });
      } finally {
        images.images.dispose();
      }
      const step = trainer.step;
      const rate = meter.add(batch, performance.now() - stepStarted, settings.steps - step);
      emit({ type: 'progress', step, totalSteps: settings.steps, losses: { total: last.total, global: last.global, dense: last.dense, er: last.er }, lr: last.lr, ...rate });
      if (settings.checkpointEvery > 0 && step % settings.checkpointEvery === 0 && step < settings.steps) {
        emit({ type: 'checkpoint', step, model: await save(trainer) });
        await registry.pruneCheckpoints(settings.out, keptCheckpoints);
      }
      if (step % settings.rotateEvery === 0 && step < settings.steps && (await pool.rotate())) sampler = samplerOf(pool, size, settings.seed + step);
    }
    const final = await save(trainer);
    await registry.pruneCheckpoints(settings.out, 0);
    emit({ type: 'done', model: final, seconds: (performance.now() - started) / 1000 });
    return final;
  } catch (thrown) {
    if (thrown instanceof CancelledError) throw thrown;
    throw stoppedRunError(asOutOfMemory(thrown, { what: 'Pre-training', batch, size }), lastSaved);
  } finally {
    trainer?.dispose();
    model.dispose();
  }
}
