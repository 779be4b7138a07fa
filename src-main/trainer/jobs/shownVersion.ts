/**
 * The network version on screen in an interactive session, and the copy of
 * the live weights proposed to replace it. Inference keeps using the shown
 * copy while training goes on with the live weights.
 *
 * A proposal copies the weights and recalibrates the copy's batch-norm
 * statistics on the volume (inside the strokes' box, over the strokes' slab:
 * ml/strokeSlab.ts; docs/eval-protocol.md, "Late collapses", and
 * docs/benchmarks.md, session 11), since the statistics training leaves
 * describe batches of the stroked slices only. The session then accepts it
 * (it becomes the shown version) or drops it (the shown version stays, and
 * so does the mask on screen): two copies are kept so that a dropped
 * proposal never touches what is shown.
 */
import { recalibrateBatchNorm, recalibrateByDefault } from '../../ml/bnRecalibration';
import { segmentVolume } from '../../ml/inference';
import type { SliceRange } from '../../ml/strokeSlab';
import { createUNet, type UNet } from '../../ml/unet';
import type { Volume } from '../../ml/volume';
import type { InferenceFrame } from './inferenceFrame';
import { pickSlices } from './interactiveData';
import type { SliceLabels } from './interactiveLayers';
import { worstStrokeFit, type StrokeFit } from './strokeFit';

/**
 * Slices the statistics of a version made while its burst runs are pooled
 * from (the recalibration's default, 32, for the burst's last version and
 * for any other). Such a version is shown on a few batches around the slice
 * on screen before the next one replaces it, and its recalibration, a
 * forward pass over every pooled slice, cost as much as four of those
 * batches: 7 of the 8 versions of a processor burst on Colin27 spent about
 * 5.5 s of processor time on it (docs/benchmarks.md, session 12).
 */
export const midBurstRecalibrationSlices = 16;

interface Copy {
  readonly unet: UNet;
  readonly frame: InferenceFrame;
}

/** How the session segments: the training size and the slices per inference pass. */
export interface ShownVersionOptions {
  readonly size: number;
  readonly inferBatch: number;
}

export class ShownVersion {
  private shown: Copy | null = null;
  private proposed: Copy | null = null;
  /** A copy no longer needed, reused by the next proposal of the same architecture. */
  private spare: UNet | null = null;
  /** The shown version's fit, and the labels revision it was measured on. */
  private shownFit: { readonly revision: number; readonly fit: StrokeFit | null } | null = null;

  constructor(private readonly volume: Volume, private readonly options: ShownVersionOptions) {}

  /** The shown version's weights (null before the first accepted proposal). */
  get model(): UNet | null {
    return this.shown?.unet ?? null;
  }

  /** A proposal waits for accept() or drop(). */
  get proposing(): boolean {
    return this.proposed !== null;
  }

  /** The box and class weights the shown version is segmented with. */
  get frame(): InferenceFrame {
    return this.shown?.frame ?? { roi: null, classWeights: null };
  }

  /** Copies `unet`'s weights as the proposal, with `frame` (the data it trained on) and its statistics recalibrated over `slab` (null: the whole volume), from fewer slices when `midBurst` (see midBurstRecalibrationSlices). */
  async propose(unet: UNet, frame: InferenceFrame, slab: SliceRange | null, midBurst = false): Promise<void> {
    this.drop();
    const { spec } = unet;
    let copy = this.spare;
    this.spare = null;
    if (copy === null || copy.spec.classes !== spec.classes || copy.spec.width !== spec.width || copy.spec.inChannels !== spec.inChannels) {
      copy?.dispose();
      copy = createUNet({ classes: spec.classes, width: spec.width, inChannels: spec.inChannels });
    }
    for (const [name, variable] of unet.params.entries()) copy.params.get(name).assign(variable);
    this.proposed = { unet: copy, frame };
    if (recalibrateByDefault) await recalibrateBatchNorm(copy, this.volume, { size: this.options.size, roi: frame.roi, sliceRange: slab, ...(midBurst ? { slices: midBurstRecalibrationSlices } : {}) });
  }

  /** The proposal's fit to `strokes` (null when nothing is stroked). */
  async proposedFit(strokes: readonly SliceLabels[]): Promise<StrokeFit | null> {
    if (this.proposed === null) throw new Error('ShownVersion: no version is proposed.');
    return this.fitOf(this.proposed, strokes);
  }

  /** The shown version's fit to `strokes`, measured once per labels `revision` (null when nothing is shown or stroked). */
  async currentFit(strokes: readonly SliceLabels[], revision: number): Promise<StrokeFit | null> {
    if (this.shown === null) return null;
    if (this.shownFit?.revision !== revision) this.shownFit = { revision, fit: await this.fitOf(this.shown, strokes) };
    return this.shownFit.fit;
  }

  /** The proposal becomes the shown version; `fit`, when given, is its fit on labels `revision` (measured already). */
  accept(measured?: { readonly revision: number; readonly fit: StrokeFit | null }): void {
    if (this.proposed === null) throw new Error('ShownVersion: no version is proposed.');
    const previous = this.shown;
    this.shown = this.proposed;
    this.proposed = null;
    this.shownFit = measured ?? null;
    if (previous !== null) this.keepSpare(previous.unet);
  }

  /** Drops the proposal (the shown version stays). */
  drop(): void {
    if (this.proposed === null) return;
    this.keepSpare(this.proposed.unet);
    this.proposed = null;
  }

  dispose(): void {
    this.shown?.unet.dispose();
    this.proposed?.unet.dispose();
    this.spare?.dispose();
    this.shown = null;
    this.proposed = null;
    this.spare = null;
  }

  private keepSpare(unet: UNet): void {
    this.spare?.dispose();
    this.spare = unet;
  }

  private async fitOf(copy: Copy, strokes: readonly SliceLabels[]): Promise<StrokeFit | null> {
    if (strokes.length === 0) return null;
    const ks = strokes.map((slice) => slice.k);
    const predicted = (await segmentVolume(copy.unet, pickSlices(this.volume, ks), { size: this.options.size, batch: Math.min(ks.length, this.options.inferBatch), ...copy.frame })).labels;
    return worstStrokeFit(strokes, predicted, this.volume.width * this.volume.height);
  }
}
