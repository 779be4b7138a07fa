/**
 * What an interactive session's loop does next, decided without tensors so
 * the order of work can be tested on its own (InteractiveSession runs it):
 *
 * - fold: labels changed. They join the running burst's training data and
 *   the burst gets its full budget again (`burstSteps` after the newest
 *   edit); nothing already trained or inferred is thrown away.
 * - forest: with `quickForest`, right after a fold and until the network has
 *   finished a burst, the pixel classifier (ml/forest/) is trained on the
 *   strokes and becomes a model version of its own, inferred like any other
 *   (slice on screen first): a first answer in about a second where the
 *   network's first version takes many seconds on a processor. Its whole
 *   volume is inferred before training resumes (a few seconds: the forest
 *   is cheap, and otherwise the network's next version would cut the sweep
 *   short and leave most slices without any answer). The network's
 *   versions at the cadence are held back while the forest's answer is
 *   the newest: measured on real brains (docs/benchmarks.md), the versions
 *   of the burst's first steps were far worse than the forest (Dice 0.02-0.5
 *   against 0.82-0.85), so showing them as soon as they existed made the
 *   mask on screen worse for minutes. The burst's last version replaces the
 *   forest (versions only move forward, so the viewer never mixes an older
 *   answer back in). Once a burst has ended, later edits skip the forest:
 *   the network already shows a version trained on nearly the same strokes.
 * - version: the weights become the next model version, every
 *   `versionEverySteps` training steps while a burst runs (the cadence), at
 *   the burst's end, at the first quick answer after an edit (quickAnswerMs,
 *   decided by the caller's clock), or once when the model changed without
 *   training (a warm start, a reset).
 * - infer: one batch of slices of the newest version. The slices near the one
 *   on screen come first and right away (the quick answer of what the user
 *   looks at); while the burst runs, the other slices of the volume get one
 *   batch every `stepsPerBatch` training steps (default 1: they alternate),
 *   the ones showing the oldest version first, so that painting without
 *   pause still refreshes the whole volume in turn instead of only the
 *   neighbourhood of the focus. Once the burst is over the newest version is
 *   inferred everywhere without pause. A processor burst's versions come
 *   every 5 steps and each restarts the sweep, so those batches never
 *   complete a volume; at 2 steps a batch, 14 of the 58 batches of an edit
 *   on Colin27 went (about 2.4 s of its 41 s of processor time), but the far
 *   slices kept older versions longer and the shown mask dipped to 0.94 Dice
 *   (from 0.96-0.97) at one edit's end (docs/benchmarks.md, session 12), so
 *   the default stays 1.
 * - train: one fine-tuning step of the burst.
 * - idle: nothing to do until labels, focus or a control request arrive.
 *
 * Cadence is counted in steps, not time: a slower device shows versions less
 * often but each one carries the same amount of training.
 */
import { volumeOrder } from './interactiveOrder';

export type LoopAction =
  | { readonly kind: 'fold' }
  | { readonly kind: 'forest' }
  | { readonly kind: 'version' }
  | { readonly kind: 'infer'; readonly slices: readonly number[] }
  | { readonly kind: 'train' }
  | { readonly kind: 'idle' };

export interface LoopScheduleOptions {
  readonly depth: number;
  readonly burstSteps: number;
  /** Training steps between two versions while a burst runs. */
  readonly versionEverySteps: number;
  readonly inferBatch: number;
  /** Answer each edit first with the pixel classifier until the network has finished a burst (see the file comment). */
  readonly quickForest?: boolean;
  /** While a burst runs, training steps between two inference batches away from the focus (default 1, at most the cadence less one; see the file comment). */
  readonly stepsPerBatch?: number;
}

export class LoopSchedule {
  private labelsPending = false;
  private stepsLeft = 0;
  private stepInBurst = 0;
  private stepsSinceVersion = 0;
  private versionWanted = false;
  private newest = 0;
  /** Version each slice was last inferred with (0: none yet). */
  private readonly shown: Int32Array;
  /** Slices of the newest version are still to be inferred (false after a cancel, until the next version). */
  private sweeping = false;
  /** Training steps since the last inference batch (a batch is due away from the focus once `stepsPerBatch` have run). */
  private stepsSinceBatch = 0;
  private focus = 0;
  private forestWanted = false;
  /** The newest version is the forest's: its sweep runs without training steps between batches. */
  private newestIsForest = false;
  /** A burst ended with a network version since the session (or its last reset or new class) began. */
  private networkCaughtUp = false;

  /** `stepsPerBatch`, but below the cadence: each version gets at least one batch away from the focus, so painting without pause still refreshes the whole volume. */
  private readonly stepsPerBatch: number;

  constructor(private readonly options: LoopScheduleOptions) {
    this.shown = new Int32Array(options.depth);
    this.stepsPerBatch = Math.max(1, Math.min(options.stepsPerBatch ?? 1, options.versionEverySteps - 1));
  }

  /** Steps trained since the burst's last fold (1-based once a step ran), and its budget. */
  get burst(): { readonly step: number; readonly steps: number } {
    return { step: this.stepInBurst, steps: this.stepInBurst + this.stepsLeft };
  }

  get training(): boolean {
    return this.stepsLeft > 0;
  }

  /** Every slice shows the newest version. */
  get volumeDone(): boolean {
    return this.newest > 0 && this.shown.every((version) => version === this.newest);
  }

  /** Slices showing the newest version. */
  get slicesAtNewest(): number {
    return this.shown.reduce((count, version) => count + (version === this.newest ? 1 : 0), 0);
  }

  labelsChanged(): void {
    this.labelsPending = true;
  }

  setFocus(k: number): void {
    this.focus = Math.min(Math.max(0, k), this.options.depth - 1);
  }

  /** The model changed without training (a warm start, a reset): it is shown as a version of its own. */
  wantVersion(): void {
    this.versionWanted = true;
  }

  next(quickAnswerDue = false): LoopAction {
    if (this.labelsPending) return { kind: 'fold' };
    if (this.forestWanted) return { kind: 'forest' };
    if (this.versionWanted) return { kind: 'version' };
    // While the forest's answer is the newest, the network shows its version only at the burst's end (see the file comment).
    const cadenceDue = !this.newestIsForest && (this.stepsSinceVersion >= this.options.versionEverySteps || quickAnswerDue);
    if (this.stepsSinceVersion > 0 && (this.stepsLeft === 0 || cadenceDue)) {
      return { kind: 'version' };
    }
    const { batch, nearFocus } = this.nextBatch();
    const batchDue = this.stepsSinceBatch >= this.stepsPerBatch;
    if (batch.length > 0 && (nearFocus || this.stepsLeft === 0 || batchDue || this.newestIsForest)) return { kind: 'infer', slices: batch };
    if (this.stepsLeft > 0) return { kind: 'train' };
    return { kind: 'idle' };
  }

  /** The labels were loaded; `trainable` false: nothing is labelled, so the burst ends. */
  folded(trainable: boolean): void {
    this.labelsPending = false;
    this.stepInBurst = 0;
    this.stepsLeft = trainable ? this.options.burstSteps : 0;
    this.forestWanted = trainable && this.options.quickForest === true && !this.networkCaughtUp;
  }

  /** The network's next version will not know every class (a new class grew its head, or a reset): the forest answers edits again. */
  networkBehind(): void {
    this.networkCaughtUp = false;
  }

  /** The pixel classifier's answer became `version` (or, null, could not be trained: e.g. one class only). */
  forestAnswered(version: number | null): void {
    this.forestWanted = false;
    if (version === null) return;
    this.newest = version;
    this.newestIsForest = true;
    this.sweeping = true;
  }

  trained(): void {
    this.stepsLeft = Math.max(0, this.stepsLeft - 1);
    this.stepInBurst += 1;
    this.stepsSinceVersion += 1;
    this.stepsSinceBatch += 1;
  }

  versioned(version: number): void {
    if (this.stepsLeft === 0 && this.stepInBurst > 0) this.networkCaughtUp = true;
    this.newest = version;
    this.newestIsForest = false;
    this.stepsSinceVersion = 0;
    this.versionWanted = false;
    this.sweeping = true;
  }

  /** The network's version was not shown (it fits the strokes worse than the bar): the forest's answer stays, and the next edit answers with the forest again. */
  heldBack(): void {
    this.stepsSinceVersion = 0;
    this.versionWanted = false;
  }

  inferred(slices: readonly number[]): void {
    for (const k of slices) this.shown[k] = this.newest;
    this.stepsSinceBatch = 0;
    if (this.volumeDone) this.sweeping = false;
  }

  /** Drops the burst, labels not yet trained on and the rest of the inference (they wait for the next edit). */
  cancel(): void {
    this.labelsPending = false;
    this.stepsLeft = 0;
    this.stepInBurst = 0;
    this.stepsSinceVersion = 0;
    this.versionWanted = false;
    this.forestWanted = false;
    this.sweeping = false;
  }

  /**
   * The next batch: the stale slices among the `inferBatch` nearest the
   * focus first, then the other stale slices, oldest version first (ties:
   * nearest the focus), up to `inferBatch`.
   */
  private nextBatch(): { batch: number[]; nearFocus: boolean } {
    if (!this.sweeping) return { batch: [], nearFocus: false };
    const { depth, inferBatch } = this.options;
    const order = volumeOrder(depth, this.focus);
    const stale = (k: number): boolean => this.shown[k] !== this.newest;
    const zone = order.slice(0, inferBatch).filter(stale);
    const rank = new Map(order.map((k, i) => [k, i]));
    const rest = order.slice(inferBatch).filter(stale)
      .sort((a, b) => (this.shown[a] as number) - (this.shown[b] as number) || (rank.get(a) as number) - (rank.get(b) as number));
    return { batch: [...zone, ...rest].slice(0, inferBatch), nearFocus: zone.length > 0 };
  }
}
