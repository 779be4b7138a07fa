/**
 * Streams refined slices into the open series' prediction layer. The app
 * never sends a slice older than one it sent before (stale slices are dropped
 * there, src-main/session/sessionEvents.ts), so every slice is shown: it is
 * decoded at once and written to the document in batches, at most one batch per `intervalMs` (leading
 * edge: the first slice after a quiet spell shows at once), so a burst of
 * slices costs one redraw, not one per slice.
 *
 * Where the user accepted a label, the prediction shows that label: an
 * accepted region stays as accepted in what is shown, whatever a later
 * model version says there (the model does not train on accepted voxels,
 * docs/interactive-loop.md; this keeps the display to the same promise).
 */
import { maxSegmentLabel } from '../../src-main/shared/contract/labels';
import type { SessionSliceEvent } from '../../src-main/shared/contract/sessionApi';
import type { LabelDocument } from '../labels/labelDocument';
import { decodeSlice } from './decodeSlice';
import { SliceVersions } from './sliceVersions';

/** Runs `task` after `ms`; returns its cancel. Injected so tests drive time. */
export type Scheduler = (task: () => void, ms: number) => () => void;

export const timeoutScheduler: Scheduler = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

export interface PredictionFeedOptions {
  /** Shortest time between two writes into the document (default 50 ms). */
  readonly intervalMs?: number;
  readonly schedule?: Scheduler;
  readonly now?: () => number;
  /** Told after each batch was written, with its slices (sorted). */
  readonly onFlush?: (slices: readonly number[]) => void;
}

export class PredictionFeed {
  readonly versions: SliceVersions;
  private readonly plane: number;
  private readonly queued = new Map<number, { readonly version: number; readonly values: Uint8Array }>();
  private readonly intervalMs: number;
  private readonly schedule: Scheduler;
  private readonly now: () => number;
  private readonly onFlush: (slices: readonly number[]) => void;
  private cancelTimer: (() => void) | null = null;
  private lastFlushAt = -Infinity;
  private disposed = false;

  constructor(private document: LabelDocument, options: PredictionFeedOptions = {}) {
    const [nx, ny, nz] = document.grid.dimensions;
    this.plane = nx * ny;
    this.versions = new SliceVersions(nz);
    this.intervalMs = options.intervalMs ?? 50;
    this.schedule = options.schedule ?? timeoutScheduler;
    this.now = options.now ?? (() => performance.now());
    this.onFlush = options.onFlush ?? (() => undefined);
  }

  /** Takes one streamed slice (nothing after dispose). Throws on a malformed slice. */
  push(event: Pick<SessionSliceEvent, 'k' | 'modelVersion' | 'runs'>): void {
    if (this.disposed) return;
    if (event.k >= this.versions.sliceCount) throw new Error(`Slice ${event.k} of model version ${event.modelVersion} is outside this ${this.versions.sliceCount}-slice series.`);
    const values = decodeSlice(event, this.plane);
    this.versions.noteVersion(event.modelVersion);
    this.queued.set(event.k, { version: event.modelVersion, values });
    this.plan();
  }

  /** A status named `version` as the newest: slices of older versions become stale. */
  noteVersion(version: number): void {
    this.versions.noteVersion(version);
  }

  /** Writes every queued slice now. */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.disposed || this.queued.size === 0) return;
    const slices = [...this.queued.keys()].sort((a, b) => a - b);
    const values = new Uint8Array(slices.length * this.plane);
    const accepted = this.document.accepted;
    slices.forEach((k, n) => {
      const entry = this.queued.get(k);
      if (entry === undefined) return;
      values.set(entry.values, n * this.plane);
      const from = k * this.plane;
      for (let i = 0; i < this.plane; i++) {
        const label = accepted[from + i] as number;
        if (label !== 0 && label <= maxSegmentLabel) values[n * this.plane + i] = label;
      }
      this.versions.record(k, entry.version);
    });
    this.queued.clear();
    this.lastFlushAt = this.now();
    this.document.setPrediction(values, slices);
    this.onFlush(slices);
  }

  /** Writes into `next` from now on: the same series' document was reloaded (it took over the prediction). */
  moveTo(next: LabelDocument): void {
    const [nx, ny, nz] = next.grid.dimensions;
    if (nx * ny !== this.plane || nz !== this.versions.sliceCount) throw new RangeError('The reloaded labels cover another grid than the prediction.');
    this.document = next;
  }

  /** Stops writing (the series closed); queued slices are dropped. */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.queued.clear();
  }

  private plan(): void {
    if (this.cancelTimer !== null) return;
    const wait = this.lastFlushAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.cancelTimer = this.schedule(() => {
      this.cancelTimer = null;
      this.flush();
    }, wait);
  }
}
