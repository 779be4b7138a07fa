/**
 * One interactive session in the trainer: the series' normalised image, its
 * label layers (kept by deltas), a U-Net and its fine-tuner, and the loop
 *
 *   (on a WebGPU backend, first one blank step and inference batch: shaders compile now)
 *   sleep until labels changed (or a warm model awaits inference)
 *   -> a burst of `burstSteps` fine-tuning steps (new labels mid-burst are swapped in);
 *      with `quickAnswerMs` > 0, once that much training on the new labels has passed,
 *      a quick version is inferred mid-burst (below) before the burst goes on
 *   -> a new model version -> inference: focus slice, neighbours, the rest,
 *      one event per slice; new labels pre-empt it (the next burst makes a newer version)
 *
 * Control requests (cancel, reset, save) are served by the loop at its next
 * safe point, between two steps or two inference batches, and answered once
 * served: so no event of cancelled work follows the answer on the channel.
 */
import * as tf from '@tensorflow/tfjs';
import { createFinetuner, type Finetuner } from '../../ml/finetuner';
import { segmentVolume } from '../../ml/inference';
import { unetSpecJson } from '../../ml/serialize';
import type { Volume } from '../../ml/volume';
import type { LoadedModel, ModelRegistry } from '../../workspace/modelRegistry';
import { sessionTrainingData, pickSlices } from './interactiveData';
import type { InteractiveLayers, LayerDelta } from './interactiveLayers';
import { buildModel, classesFor, growClasses, type InitInfo, type SessionModel } from './interactiveModel';
import { focusOrder } from './interactiveOrder';
import type { InteractiveEvent, InteractiveSettings, InteractiveState } from './interactiveSchemas';
import { createWake } from './interactiveWake';
import { createRateMeter, yieldToEventLoop, type JobBackend } from './jobContext';
import { disposeAll, saveModel } from './modelSaving';
import { encodeSlice } from './sliceRuns';

type Request = { readonly action: 'cancel' | 'reset' | 'save'; readonly done: (error?: unknown) => void };
type Phase = InteractiveState['phase'];

export interface InteractiveSessionParts {
  readonly settings: InteractiveSettings;
  readonly emit: (event: InteractiveEvent) => void;
  readonly backend: JobBackend;
  readonly registry: ModelRegistry;
  readonly volume: Volume;
  readonly layers: InteractiveLayers;
  /** The init model (reset goes back to it) and the model the session starts from (init, or its own checkpoint). */
  readonly init: { readonly loaded: LoadedModel | null; readonly info: InitInfo };
  readonly start: LoadedModel | null;
}

export class InteractiveSession {
  private readonly wake = createWake();
  private readonly requests: Request[] = [];
  private model: SessionModel;
  private finetuner: Finetuner;
  private phase: Phase = 'loading';
  private version: number;
  private focus = 0;
  private focusChanged = false;
  private dirty = false;
  private inferPending = false;
  /** The model changed without a burst (a warm start or reset): inference hands out a new version first. */
  private needsVersion = false;
  private paused = false;
  private stopped = false;
  private savedModelId: string | null;
  private lastSaveAt = performance.now();

  constructor(private readonly parts: InteractiveSessionParts) {
    const { settings } = parts;
    this.version = settings.firstVersion - 1;
    this.savedModelId = settings.resumeFrom;
    this.model = buildModel(parts.start, classesFor(parts.layers.maxLabel()), settings.settings.width, 1);
    this.finetuner = this.newFinetuner();
    // A warm model has something to show before any new stroke.
    this.inferPending = parts.start !== null && parts.start.artifact.spec.kind === 'unet';
    this.needsVersion = this.inferPending;
  }

  get classes(): number {
    return this.model.unet.spec.classes;
  }

  get step(): number {
    return this.finetuner.step;
  }

  state(): InteractiveState {
    return { phase: this.phase, step: this.finetuner.step, modelVersion: this.version, savedModelId: this.savedModelId };
  }

  /** Applies label changes; the loop trains on them next. */
  labels(delta: LayerDelta): InteractiveState {
    const touched = this.parts.layers.apply(delta);
    if (touched.length > 0 || delta.full) {
      this.dirty = true;
      this.wake.wake();
    }
    return this.state();
  }

  setFocus(k: number): InteractiveState {
    const depth = this.parts.volume.depth;
    this.focus = Math.min(Math.max(0, k), depth - 1);
    this.focusChanged = true;
    return this.state();
  }

  /** pause/resume answer at once; cancel/reset/save once the loop has served them. */
  async control(action: 'pause' | 'resume' | 'cancel' | 'reset' | 'save'): Promise<InteractiveState> {
    if (action === 'pause' || action === 'resume') {
      this.paused = action === 'pause';
      this.wake.wake();
      return this.state();
    }
    if (this.stopped) throw new Error('The session has ended.');
    await new Promise<void>((resolve, reject) => {
      this.requests.push({ action, done: (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error)))) });
      this.wake.wake();
    });
    return this.state();
  }

  /** Ends the loop (the stream was cancelled). */
  stop(): void {
    this.stopped = true;
    this.wake.wake();
  }

  /** Runs until stop(); disposes the model on the way out. */
  async run(): Promise<void> {
    try {
      if (this.parts.backend.kind === 'webgpu' || this.parts.backend.kind === 'webgpu-swiftshader') await this.warmUp();
      while (!this.stopped) {
        await this.serveRequests();
        if (this.stopped) break;
        if (this.paused) {
          this.setPhase('paused');
          await this.wake.sleep();
          continue;
        }
        if (this.dirty) {
          await this.burst();
          continue;
        }
        if (this.inferPending) {
          await this.inferVolume();
          continue;
        }
        this.setPhase('idle');
        await this.wake.sleep();
      }
    } finally {
      for (const request of this.requests.splice(0)) request.done(new Error('The session ended before the request was served.'));
      this.finetuner.dispose();
      disposeAll(this.model.optimizer);
      this.model.unet.dispose();
    }
  }

  /**
   * One blank training step (nothing kept) and one blank inference batch before
   * the first stroke: the GPU compiles the session's shaders now, while the
   * series loads, instead of adding 2-3 s to the first edit (measured on an
   * H200, docs/benchmarks.md). A failure here is only reported: the real step
   * will meet the same problem and say so in its place.
   */
  private async warmUp(): Promise<void> {
    const { volume, settings, emit } = this.parts;
    const { size, inferBatch } = settings.settings;
    try {
      await this.finetuner.warmUp(size);
      const depth = Math.min(inferBatch, volume.depth);
      const blank = { data: new Float32Array(volume.width * volume.height * depth), width: volume.width, height: volume.height, depth };
      await segmentVolume(this.model.unet, blank, { size, batch: depth });
    } catch (thrown) {
      emit({ type: 'note', message: `Warming up the GPU kernels failed (${thrown instanceof Error ? thrown.message : String(thrown)}); the first step will try again.` });
    }
  }

  private setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.parts.emit({ type: 'phase', phase });
  }

  private newFinetuner(): Finetuner {
    const { settings } = this.parts.settings;
    const finetuner = createFinetuner(this.model.unet, { totalSteps: settings.burstSteps, batch: settings.batch, lr: settings.lr, seed: 1 });
    finetuner.restoreState({ step: this.model.step, optimizer: this.model.optimizer });
    disposeAll(this.model.optimizer);
    this.model = { ...this.model, optimizer: new Map() };
    return finetuner;
  }

  /** Moves the fine-tuner's state into `this.model` (copies), dropping the fine-tuner. */
  private takeState(): void {
    const state = this.finetuner.checkpointState();
    const optimizer = new Map([...state.optimizer].map(([name, tensor]) => [name, tf.clone(tensor)]));
    this.model = { unet: this.model.unet, optimizer, step: state.step };
    this.finetuner.dispose();
  }

  /** Grows the head when a label needs more classes; loads the labelled slices into the fine-tuner. */
  private async loadLabels(): Promise<boolean> {
    this.dirty = false;
    const { layers, volume, emit } = this.parts;
    const slices = layers.slices();
    if (slices.length === 0) return false;
    const needed = classesFor(layers.maxLabel());
    if (needed > this.model.unet.spec.classes) {
      const before = this.model.unet.spec.classes;
      this.takeState();
      this.model = growClasses(this.model, needed, this.version + 1);
      this.finetuner = this.newFinetuner();
      emit({ type: 'note', message: `A new segment (label ${needed - 1}) was painted: the model's output layer grew from ${before} to ${needed} classes; the new class starts untrained.` });
    }
    const data = sessionTrainingData(volume, slices, this.parts.settings.settings.size);
    try {
      await this.finetuner.setData(data);
    } finally {
      tf.dispose([data.images, data.labels]);
    }
    return true;
  }

  /** True when the loop must drop what it is doing (stop, or a cancel/reset waits). */
  private interrupted(): boolean {
    return this.stopped || this.requests.some((request) => request.action !== 'save');
  }

  /** Waits while paused (unless interrupted); true when work may go on. */
  private async pausePoint(): Promise<boolean> {
    await yieldToEventLoop();
    while (this.paused && !this.interrupted()) {
      this.setPhase('paused');
      await this.wake.sleep();
    }
    return !this.interrupted();
  }

  private async burst(): Promise<void> {
    if (!(await this.loadLabels())) return;
    const { burstSteps, quickAnswerMs = 0 } = this.parts.settings.settings;
    this.finetuner.restartSchedule(burstSteps);
    this.setPhase('training');
    const meter = createRateMeter();
    // The quick answer: once quickAnswerMs of training on the new labels has passed, the
    // current weights become a model version and the volume is inferred (slice on screen
    // first) before the burst goes on; the burst's end makes the next, better version.
    let quickAt = quickAnswerMs > 0 ? performance.now() + quickAnswerMs : Infinity;
    for (let i = 1; i <= burstSteps; i++) {
      if (!(await this.pausePoint())) return;
      this.setPhase('training');
      if (this.dirty) {
        if (!(await this.loadLabels())) return;
        if (quickAnswerMs > 0) quickAt = performance.now() + quickAnswerMs;
      }
      const started = performance.now();
      const result = await this.finetuner.steps(1);
      const rate = meter.add(1, performance.now() - started, burstSteps - i);
      this.parts.emit({ type: 'step', step: this.finetuner.step, burstStep: i, burstSteps, loss: result.loss, stepsPerSecond: rate.slicesPerSecond });
      if (i < burstSteps && performance.now() >= quickAt && !this.dirty) {
        quickAt = Infinity;
        this.newVersion();
        await this.inferVolume();
      }
    }
    this.newVersion();
    const every = this.parts.settings.saveEverySeconds;
    if (every > 0 && performance.now() - this.lastSaveAt >= every * 1000) await this.saveNow();
  }

  /** The weights now are the next model version, to be inferred. */
  private newVersion(): void {
    this.version += 1;
    this.inferPending = true;
    this.needsVersion = false;
    this.parts.emit({ type: 'model', modelVersion: this.version, step: this.finetuner.step });
  }

  private async inferVolume(): Promise<void> {
    const { volume, settings, emit } = this.parts;
    if (this.needsVersion) {
      this.needsVersion = false;
      this.version += 1;
      emit({ type: 'model', modelVersion: this.version, step: this.finetuner.step });
    }
    const version = this.version;
    const started = performance.now();
    const perSlice = volume.width * volume.height;
    let remaining = focusOrder(Array.from({ length: volume.depth }, (_, k) => k), this.focus);
    this.focusChanged = false;
    this.setPhase('inferring');
    let done = 0;
    while (remaining.length > 0) {
      if (!(await this.pausePoint()) || this.dirty) return;
      this.setPhase('inferring');
      if (this.focusChanged) {
        remaining = focusOrder(remaining, this.focus);
        this.focusChanged = false;
      }
      const batch = remaining.slice(0, settings.settings.inferBatch);
      const result = await segmentVolume(this.model.unet, pickSlices(volume, batch), { size: settings.settings.size, batch: batch.length });
      // Labels that arrived during the batch make it stale: drop it.
      if (this.dirty || this.interrupted()) return;
      remaining = remaining.slice(batch.length);
      batch.forEach((k, i) => {
        done += 1;
        const encoded = encodeSlice(result.labels.subarray(i * perSlice, (i + 1) * perSlice));
        emit({ type: 'slice', modelVersion: version, k, runs: encoded.runs, labels: encoded.labels, slicesDone: done, slicesTotal: volume.depth });
      });
    }
    this.inferPending = false;
    emit({ type: 'volumeDone', modelVersion: version, slices: volume.depth, seconds: (performance.now() - started) / 1000 });
  }

  private async serveRequests(): Promise<void> {
    while (this.requests.length > 0) {
      const request = this.requests.shift() as Request;
      try {
        if (request.action === 'cancel') {
          this.dirty = false;
          this.inferPending = false;
        } else if (request.action === 'reset') {
          this.reset();
        } else {
          await this.saveNow();
        }
        if (request.action !== 'save') this.setPhase('idle');
        request.done();
      } catch (thrown) {
        request.done(thrown);
      }
    }
  }

  private reset(): void {
    this.finetuner.dispose();
    disposeAll(this.model.optimizer);
    this.model.unet.dispose();
    this.model = buildModel(this.parts.init.loaded, classesFor(this.parts.layers.maxLabel()), this.parts.settings.settings.width, 1);
    this.finetuner = this.newFinetuner();
    this.dirty = this.parts.layers.slices().length > 0;
    this.inferPending = !this.dirty && this.parts.init.loaded?.artifact.spec.kind === 'unet';
    this.needsVersion = this.inferPending;
    this.wake.wake();
  }

  /** Saves the model under the session's name (atomic in the registry), then drops its previous save. */
  private async saveNow(): Promise<void> {
    const steps = this.finetuner.step;
    if (steps === 0) return;
    const { settings, registry, backend, init, emit } = this.parts;
    const unet = this.model.unet;
    const [nx, ny, nz] = this.parts.layers.dimensions;
    const record = await saveModel(registry, unet.params, unetSpecJson(unet), this.finetuner.checkpointState().optimizer, {
      name: settings.out,
      kind: 'finetuned',
      parentId: init.info.modelId,
      spec: { inChannels: unet.spec.inChannels, width: unet.spec.width, classes: unet.spec.classes, size: settings.settings.size },
      steps,
      totalSteps: steps,
      losses: {},
      backend: backend.kind,
      device: backend.device,
      data: { archiveRoot: null, labelsPath: null, series: [{ seriesId: settings.seriesId, path: null, slices: nz }], seriesCount: 1 },
      settings: { batch: settings.settings.batch, lr: settings.settings.lr, init: settings.init, interactive: true, grid: `${nx}x${ny}x${nz}`, modelVersion: this.version },
    });
    const previous = this.savedModelId;
    this.savedModelId = record.id;
    this.lastSaveAt = performance.now();
    emit({ type: 'checkpoint', modelId: record.id, step: steps, modelVersion: this.version });
    if (previous !== null && previous !== record.id && previous !== init.info.modelId) {
      await registry.remove(previous).catch(() => undefined);
    }
  }
}
