/**
 * The network of an interactive session: its U-Net, the Adam state it
 * continues with, and the fine-tuner that trains it (with SimCVD's mean
 * teacher when the settings choose it). The fine-tuner is rebuilt when a new
 * segment grows the head and on reset; folding labels in loads the labelled
 * slices, cropped to the strokes' box, and starts a new cosine cycle.
 * InteractiveSession (interactiveSession.ts) decides when each happens.
 */
import * as tf from '@tensorflow/tfjs';
import { strokeClassBalanced } from '../../ml/crossEntropy';
import { createFinetuner, type Finetuner, type FinetuneStepResult } from '../../ml/finetuner';
import { segmentVolume } from '../../ml/inference';
import { methodExtension } from '../../ml/simcvd/finetuneMethod';
import type { SimcvdExtension } from '../../ml/simcvd/simcvdExtension';
import { unlabelledSlices } from '../../ml/simcvd/unlabelledSlices';
import { strokeBox } from '../../ml/strokeBox';
import { trainedPriorWeights } from '../../ml/strokePrior';
import type { UNet } from '../../ml/unet';
import type { Volume } from '../../ml/volume';
import { defaultFinetuneMethod } from '../../shared/contract/trainer/finetuneMethod';
import type { InteractiveSettings } from '../../shared/contract/trainer/interactiveSchemas';
import type { LoadedModel } from '../../workspace/modelRegistry';
import type { InferenceFrame } from './inferenceFrame';
import { sessionTrainingData } from './interactiveData';
import type { InteractiveLayers, SliceLabels } from './interactiveLayers';
import { buildModel, classesFor, growClasses, type SessionModel } from './interactiveModel';
import { disposeAll } from './modelSaving';

/** What the network trains on: the session's normalised image, its label layers and its settings. */
export interface InteractiveNetworkParts {
  readonly volume: Volume;
  readonly layers: InteractiveLayers;
  readonly settings: InteractiveSettings['settings'];
}

export class InteractiveNetwork {
  private model: SessionModel;
  private finetuner: Finetuner;
  /** SimCVD's mean teacher when the settings choose it (owned by the fine-tuner). */
  private extension: SimcvdExtension | undefined;

  /** Builds the network from `start` (or scratch) with the classes the layers need. */
  constructor(start: LoadedModel | null, private readonly parts: InteractiveNetworkParts) {
    this.model = buildModel(start, classesFor(parts.layers.maxLabel()), parts.settings.width, 1);
    this.finetuner = this.newFinetuner();
  }

  get unet(): UNet {
    return this.model.unet;
  }

  get classes(): number {
    return this.model.unet.spec.classes;
  }

  /** Steps applied so far, over all bursts. */
  get step(): number {
    return this.finetuner.step;
  }

  /** One blank training step and one blank inference batch (nothing kept): a GPU backend compiles the session's shaders here. */
  async warmUp(): Promise<void> {
    const { volume, settings } = this.parts;
    const { size, inferBatch } = settings;
    await this.finetuner.warmUp(size);
    const depth = Math.min(inferBatch, volume.depth);
    const blank = { data: new Float32Array(volume.width * volume.height * depth), width: volume.width, height: volume.height, depth };
    await segmentVolume(this.model.unet, blank, { size, batch: depth });
  }

  /**
   * Grows the head to the classes the layers need (`seed` initialises the new
   * channels); returns the classes it had, or null when it had enough.
   */
  growToLabels(seed: number): number | null {
    const needed = classesFor(this.parts.layers.maxLabel());
    const before = this.model.unet.spec.classes;
    if (needed <= before) return null;
    this.takeState();
    this.model = growClasses(this.model, needed, seed);
    this.finetuner = this.newFinetuner();
    return before;
  }

  /**
   * Loads the labelled `slices` into the fine-tuner (cropped to the box around
   * the strokes unless the settings turn the box off, completed inside closed
   * outlines unless they turn the fill off), gives SimCVD the other slices, and
   * starts a new cosine cycle of a burst. Returns the frame the versions made
   * from this data are inferred with: the box and the class weights that undo
   * the strokes' class shares.
   */
  async trainOn(slices: readonly SliceLabels[]): Promise<InferenceFrame> {
    const { layers, volume, settings } = this.parts;
    const [width, height] = layers.dimensions;
    const roi = settings.roi === false ? null : strokeBox(slices.map((slice) => slice.labels), width, height);
    const data = sessionTrainingData(volume, slices, settings.size, roi, settings.fillOutlines === false ? null : {});
    let frame: InferenceFrame;
    try {
      await this.finetuner.setData(data);
      const alpha = settings.undoStrokePrior === false ? 0 : undefined;
      frame = { roi, classWeights: await trainedPriorWeights(data, this.model.unet.spec.classes, alpha, strokeClassBalanced) };
    } finally {
      tf.dispose([data.images, data.labels]);
    }
    if (this.extension !== undefined) {
      const unlabelled = unlabelledSlices(volume, slices.map((slice) => slice.k), settings.size);
      try {
        this.extension.setUnlabelled(unlabelled);
      } finally {
        unlabelled.dispose();
      }
    }
    this.finetuner.restartSchedule(settings.burstSteps);
    return frame;
  }

  trainStep(): Promise<FinetuneStepResult> {
    return this.finetuner.steps(1);
  }

  /** The optimiser's state for a checkpoint (the fine-tuner's own tensors: save them before the next step). */
  optimizerState(): ReadonlyMap<string, tf.Tensor> {
    return this.finetuner.checkpointState().optimizer;
  }

  /** Drops the weights and the optimiser's state and starts again from `init` (or scratch). */
  reset(init: LoadedModel | null): void {
    this.dispose();
    this.model = buildModel(init, classesFor(this.parts.layers.maxLabel()), this.parts.settings.width, 1);
    this.finetuner = this.newFinetuner();
  }

  dispose(): void {
    this.finetuner.dispose();
    disposeAll(this.model.optimizer);
    this.model.unet.dispose();
  }

  private newFinetuner(): Finetuner {
    const { settings } = this.parts;
    const labelled = this.parts.layers.slices().map((slice) => slice.k);
    this.extension = methodExtension(settings.method ?? defaultFinetuneMethod, this.model.unet, this.parts.volume, labelled, settings.size, 3);
    const finetuner = createFinetuner(this.model.unet, { totalSteps: settings.burstSteps, batch: settings.batch, lr: settings.lr, seed: 1, classBalanced: strokeClassBalanced, ...(this.extension === undefined ? {} : { extension: this.extension }) });
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
}
