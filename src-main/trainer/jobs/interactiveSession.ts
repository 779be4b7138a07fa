/**
 * One interactive session in the trainer: the series' normalised image, its
 * label layers (kept by deltas), a U-Net and its fine-tuner (interactiveNetwork.ts), and the loop
 * that LoopSchedule (interactiveSchedule.ts) orders:
 *
 *   (on a WebGPU backend, first one blank step and inference batch: shaders compile now)
 *   new labels are folded into the running burst (which gets its full budget again);
 *   with `quickForest`, until the network has finished a burst, a pixel classifier
 *   (quickForest.ts) is trained on the strokes at once and is the next model version,
 *   the slice on screen first, until the network's next version replaces it;
 *   the training slices are cropped to the box around the structures' strokes
 *   (ml/strokeBox.ts) and inference segments that box alone, with each class's
 *   probability divided by its share of the painted pixels (ml/strokePrior.ts);
 *   every `versionEverySteps` steps (and at the burst's end, and at a quick answer)
 *   the weights are copied into a new model version; the slices around the one on
 *   screen are inferred with it at once, the rest of the volume alternates with the
 *   next training steps; one event per slice, never a slice of an older version
 *   after a newer one.
 *
 * Control requests (cancel, reset, save) are served by the loop at its next
 * safe point, between two steps or two inference batches, and answered once
 * served: so no event of cancelled work follows the answer on the channel
 * (interactiveRequests.ts).
 */
import { segmentVolume } from '../../ml/inference';
import { strokeSlab, type SliceRange } from '../../ml/strokeSlab';
import type { Volume } from '../../ml/volume';
import type { LoadedModel, ModelRegistry } from '../../workspace/modelRegistry';
import { resumedLabelsDigest, saveSessionCheckpoint } from './interactiveCheckpoint';
import { pickSlices } from './interactiveData';
import type { InteractiveLayers, LayerDelta } from './interactiveLayers';
import type { InitInfo } from './interactiveModel';
import { InteractiveNetwork } from './interactiveNetwork';
import type { InteractiveEvent, InteractiveSettings, InteractiveState } from '../../shared/contract/trainer/interactiveSchemas';
import { ControlRequests } from './interactiveRequests';
import { LoopSchedule } from './interactiveSchedule';
import { createWake } from './interactiveWake';
import { createRateMeter, yieldToEventLoop, type JobBackend } from './jobContext';
import { encodeSlice } from './sliceRuns';
import { QuickForest } from './quickForest';
import { ShownVersion } from './shownVersion';
import { ShownVolume } from './shownVolume';
import { replacesShown } from './versionJudge';
import type { InferenceFrame } from './inferenceFrame';

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
  private readonly requests = new ControlRequests();
  private readonly schedule: LoopSchedule;
  /** The U-Net, its optimiser's state and its fine-tuner (interactiveNetwork.ts). */
  private readonly network: InteractiveNetwork;
  /** The network version on screen (a copy of its weights, statistics and frame: inference keeps using it while training goes on) and the one proposed to replace it. */
  private readonly shownVersion: ShownVersion;
  /** The box and class weights of the data the network is training on (copied with the weights into each version), and the strokes' slab its versions are recalibrated on. */
  private trainingFrame: InferenceFrame = { roi: null, classWeights: null };
  private trainingSlab: SliceRange | null = null;
  /** Counts the folds: the shown version's fit to the strokes is measured once per labels revision. */
  private labelsRevision = 0;
  private phase: Phase = 'loading';
  private readonly quickForest = new QuickForest();
  /** The newest version's slices over the volume, for the stroke-connected filter once all are in. */
  private readonly shown: ShownVolume;
  /** What made the newest version: the pixel classifier's quick answer or the network. */
  private source: 'forest' | 'network' = 'network';
  private version: number;
  private versionMadeAt = 0;
  /** When labels were first folded in after the last version (for the quick answer), or null. */
  private foldedAt: number | null = null;
  private readonly meter = createRateMeter();
  private paused = false;
  private stopped = false;
  private savedModelId: string | null;
  private lastSaveAt = performance.now();
  /** The labels digest of the checkpoint this session resumed from, until the first full labels arrive. */
  private resumedDigest: string | null;
  /** The digest of the labels the model has been trained on (as of the last fold), saved with it. */
  private trainedDigest: string | null;

  constructor(private readonly parts: InteractiveSessionParts) {
    const { settings } = parts;
    const { burstSteps, versionEverySteps, inferBatch } = settings.settings;
    this.version = settings.firstVersion - 1;
    this.savedModelId = settings.resumeFrom;
    this.schedule = new LoopSchedule({ depth: parts.volume.depth, burstSteps, versionEverySteps: versionEverySteps ?? burstSteps, inferBatch, quickForest: settings.settings.quickForest === true });
    this.shown = new ShownVolume(parts.layers.dimensions);
    this.shownVersion = new ShownVersion(parts.volume, { size: settings.settings.size, inferBatch });
    this.network = new InteractiveNetwork(parts.start, { volume: parts.volume, layers: parts.layers, settings: settings.settings });
    // A warm model has something to show before any new stroke.
    if (parts.start !== null && parts.start.artifact.spec.kind === 'unet') this.schedule.wantVersion();
    this.resumedDigest = resumedLabelsDigest(settings, parts.start);
    this.trainedDigest = this.resumedDigest;
  }

  get classes(): number {
    return this.network.classes;
  }

  get step(): number {
    return this.network.step;
  }

  state(): InteractiveState {
    return { phase: this.phase, step: this.network.step, modelVersion: this.version, savedModelId: this.savedModelId };
  }

  /** Applies label changes; the loop folds them into its training data at its next step. */
  labels(delta: LayerDelta): InteractiveState {
    const touched = this.parts.layers.apply(delta);
    const resumedDigest = this.resumedDigest;
    this.resumedDigest = null;
    // Resumed with the very labels its checkpoint was trained on: nothing new to train (the next edit folds them all in).
    if (delta.full && resumedDigest !== null && this.parts.layers.digest() === resumedDigest) return this.state();
    if (touched.length > 0 || delta.full) {
      this.schedule.labelsChanged();
      this.wake.wake();
    }
    return this.state();
  }

  setFocus(k: number): InteractiveState {
    this.schedule.setFocus(k);
    this.wake.wake();
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
    const served = this.requests.add(action);
    this.wake.wake();
    await served;
    return this.state();
  }

  /** Ends the loop (the stream was cancelled). */
  stop(): void {
    this.stopped = true;
    this.wake.wake();
  }

  /** Runs until stop(); disposes the models on the way out. */
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
        const action = this.schedule.next(this.quickAnswerDue());
        if (action.kind === 'idle') {
          this.setPhase('idle');
          await this.wake.sleep();
          continue;
        }
        this.setPhase(this.schedule.training || action.kind === 'fold' ? 'training' : 'inferring');
        if (action.kind === 'fold') await this.fold();
        else if (action.kind === 'forest') this.forestVersion();
        else if (action.kind === 'train') await this.trainStep();
        else if (action.kind === 'version') await this.newVersion();
        else await this.inferBatch(action.slices);
        await yieldToEventLoop();
      }
    } finally {
      this.requests.failAll();
      this.network.dispose();
      this.shownVersion.dispose();
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
    try {
      await this.network.warmUp();
    } catch (thrown) {
      this.parts.emit({ type: 'note', message: `Warming up the GPU kernels failed (${thrown instanceof Error ? thrown.message : String(thrown)}); the first step will try again.` });
    }
  }

  private setPhase(phase: Phase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.parts.emit({ type: 'phase', phase });
  }

  private quickAnswerDue(): boolean {
    const { quickAnswerMs = 0 } = this.parts.settings.settings;
    return quickAnswerMs > 0 && this.foldedAt !== null && performance.now() - this.foldedAt >= quickAnswerMs;
  }

  /**
   * Folds the changed labels into the burst: grows the head when a label
   * needs more classes, loads the labelled slices into the fine-tuner and
   * starts a new cosine cycle (the burst's budget counts from this edit).
   */
  private async fold(): Promise<void> {
    const { layers, volume, emit } = this.parts;
    const slices = layers.slices();
    if (slices.length === 0) {
      this.schedule.folded(false);
      return;
    }
    const before = this.network.growToLabels(this.version + 1);
    if (before !== null) {
      const needed = this.network.classes;
      this.schedule.networkBehind();
      emit({ type: 'note', message: `A new segment (label ${needed - 1}) was painted: the model's output layer grew from ${before} to ${needed} classes; the new class starts untrained.` });
    }
    this.trainingSlab = strokeSlab(slices.filter((slice) => slice.maxLabel >= 1).map((slice) => slice.k), volume.depth, slices.map((slice) => slice.k));
    this.trainingFrame = await this.network.trainOn(slices);
    this.trainedDigest = layers.digest();
    this.labelsRevision += 1;
    this.foldedAt ??= performance.now();
    this.schedule.folded(true);
  }

  private async trainStep(): Promise<void> {
    const started = performance.now();
    const result = await this.network.trainStep();
    this.schedule.trained();
    const { step, steps } = this.schedule.burst;
    const rate = this.meter.add(1, performance.now() - started, steps - step);
    this.parts.emit({ type: 'step', step: this.network.step, burstStep: step, burstSteps: steps, loss: result.loss, stepsPerSecond: rate.slicesPerSecond });
  }

  /** The pixel classifier, trained on every stroke now, becomes the next model version (skipped when it cannot be trained). */
  private forestVersion(): void {
    const { layers, volume, emit } = this.parts;
    const trained = this.quickForest.train(volume, layers.slices(), this.network.classes);
    if (!trained) {
      this.schedule.forestAnswered(null);
      return;
    }
    this.version += 1;
    this.versionMadeAt = performance.now();
    this.source = 'forest';
    this.schedule.forestAnswered(this.version);
    emit({ type: 'model', modelVersion: this.version, step: this.network.step, source: 'forest' });
  }

  /** The weights now become the next model version: copied for inference, then inferred around the focus first. */
  private async newVersion(): Promise<void> {
    // The copy's statistics from the scan's slices around the strokes, inside the box the network sees, not from the stroked slices' batches; from fewer slices while the burst runs (ShownVersion).
    await this.shownVersion.propose(this.network.unet, this.trainingFrame, this.trainingSlab, this.schedule.training);
    if (this.source === 'forest') {
      const fit = await this.shownVersion.proposedFit(this.parts.layers.slices());
      // On small structures at a processor's budget the network can end a burst having learnt nothing of them (Dice 0 on the deep grey nuclei, where the classifier reaches 0.4-0.7: docs/eval-protocol.md): a version that misses a quarter of what the user painted is no improvement to show.
      if (fit !== null && fit.share < this.parts.settings.forestReplaceShare) {
        // The pixel classifier's answer stays; the next edit trains the network on and it is judged again.
        this.shownVersion.drop();
        this.schedule.heldBack();
        const name = fit.classIndex === 0 ? 'background' : `label ${fit.classIndex}`;
        this.parts.emit({ type: 'note', message: `The network's version after ${this.network.step} steps is not shown: it gets only ${Math.round(fit.share * 100)}% of your ${name} strokes right, so the pixel classifier's answer stays. More strokes (and background around the structure) help.` });
        return;
      }
    } else if (this.parts.settings.settings.judgeVersions === true && this.schedule.training && this.shownVersion.model !== null) {
      // With judgeVersions, a version made while the burst runs replaces the one on screen only if it fits the strokes at least as well (versionJudge.ts); the burst's last always does.
      const strokes = this.parts.layers.slices();
      const fit = await this.shownVersion.proposedFit(strokes);
      if (!replacesShown(fit, await this.shownVersion.currentFit(strokes, this.labelsRevision))) {
        this.shownVersion.drop();
        this.schedule.heldBack();
        return;
      }
      this.shownVersion.accept({ revision: this.labelsRevision, fit });
    }
    if (this.shownVersion.proposing) this.shownVersion.accept();
    this.version += 1;
    this.versionMadeAt = performance.now();
    this.foldedAt = null;
    this.source = 'network';
    this.quickForest.drop();
    this.schedule.versioned(this.version);
    this.parts.emit({ type: 'model', modelVersion: this.version, step: this.network.step, source: 'network' });
    const every = this.parts.settings.saveEverySeconds;
    if (every > 0 && performance.now() - this.lastSaveAt >= every * 1000) await this.saveNow();
  }

  /** One batch of slices of the newest version, streamed slice by slice (dropped if a cancel, reset or stop came meanwhile). */
  private async inferBatch(ks: readonly number[]): Promise<void> {
    const { volume, settings, emit } = this.parts;
    const version = this.version;
    const source = this.source;
    let labels: Uint8Array;
    if (source === 'forest') {
      labels = this.quickForest.classify(volume, ks);
    } else {
      const model = this.shownVersion.model;
      if (model === null) return;
      labels = (await segmentVolume(model, pickSlices(volume, ks), { size: settings.settings.size, batch: ks.length, ...this.shownVersion.frame })).labels;
    }
    if (this.interrupted()) return;
    this.schedule.inferred(ks);
    const done = this.schedule.slicesAtNewest;
    const send = (slice: { readonly k: number; readonly labels: Uint8Array }): void => {
      const encoded = encodeSlice(slice.labels);
      emit({ type: 'slice', modelVersion: version, k: slice.k, runs: encoded.runs, labels: encoded.labels, slicesDone: done, slicesTotal: volume.depth, source });
    };
    const keepConnected = settings.settings.keepConnected !== false;
    const strokes = this.parts.layers.slices();
    const classes = this.network.classes;
    // Until the volume is complete, each slice keeps the regions touching a stroke or the mask shown around it (shownVolume.ts).
    this.shown.write(ks, labels, keepConnected ? strokes : null, classes).forEach(send);
    // The whole volume is in: islands no stroke of their structure touches go, and the slices they were on are sent again (same version).
    if (this.schedule.volumeDone && keepConnected) this.shown.keepStrokeConnected(strokes, classes).forEach(send);
    if (this.schedule.volumeDone) emit({ type: 'volumeDone', modelVersion: version, slices: volume.depth, seconds: (performance.now() - this.versionMadeAt) / 1000 });
  }

  /** True when the loop must drop what it is doing (stop, or a cancel/reset waits). */
  private interrupted(): boolean {
    return this.stopped || this.requests.interrupting;
  }

  private async serveRequests(): Promise<void> {
    await this.requests.serveAll(async (action) => {
      if (action === 'cancel') {
        this.schedule.cancel();
        this.foldedAt = null;
      } else if (action === 'reset') {
        this.reset();
      } else {
        await this.saveNow();
      }
      if (action !== 'save') this.setPhase('idle');
    });
  }

  private reset(): void {
    this.network.reset(this.parts.init.loaded);
    this.schedule.cancel();
    this.schedule.networkBehind();
    this.foldedAt = null;
    if (this.parts.layers.slices().length > 0) this.schedule.labelsChanged();
    else if (this.parts.init.loaded?.artifact.spec.kind === 'unet') this.schedule.wantVersion();
    this.wake.wake();
  }

  /** Saves the model under the session's name (atomic in the registry), then drops its previous save. */
  private async saveNow(): Promise<void> {
    const steps = this.network.step;
    if (steps === 0) return;
    const { settings, registry, backend, init, emit, layers } = this.parts;
    const context = { settings, registry, backend, parentId: init.info.modelId, dimensions: layers.dimensions };
    const record = await saveSessionCheckpoint(context, { unet: this.network.unet, optimizer: this.network.optimizerState(), steps }, this.version, this.trainedDigest);
    const previous = this.savedModelId;
    this.savedModelId = record.id;
    this.lastSaveAt = performance.now();
    emit({ type: 'checkpoint', modelId: record.id, step: steps, modelVersion: this.version });
    if (previous !== null && previous !== record.id && previous !== init.info.modelId) {
      await registry.remove(previous).catch(() => undefined);
    }
  }
}
