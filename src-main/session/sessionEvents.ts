/**
 * The events of one series' session as its subscribers see them: the
 * status (sent at once on a phase change or message, else at most every
 * `throttleMs`), the loss points batched with it, and slices passed on as
 * they come. Slices (and 'volume done' news) of a version older than the
 * newest one seen, or of work that was cancelled, are dropped here and only
 * here: a subscriber never sees versions go backwards, so the page shows
 * what it is sent without filtering again.
 */
import type { SeriesId } from '../shared/contract/series';
import type { SessionEvent, SessionStatus } from '../shared/contract/sessionApi';

export type SessionSink = (event: SessionEvent) => void;

export interface SessionEventsOptions {
  readonly throttleMs: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/** The closed status of a series with no session. */
export function closedStatus(seriesId: SeriesId): SessionStatus {
  return {
    kind: 'status',
    seriesId,
    sessionId: null,
    phase: 'closed',
    step: 0,
    burstStep: 0,
    burstSteps: 0,
    loss: null,
    losses: {},
    stepsPerSecond: 0,
    slicesDone: 0,
    slicesTotal: 0,
    backend: null,
    device: '',
    modelVersion: 0,
    lastUpdateAt: null,
    init: null,
    settings: null,
    savedModelId: null,
    message: null,
  };
}

export class SessionEvents {
  private current: SessionStatus;
  private readonly sinks = new Set<SessionSink>();
  private points: Array<{ step: number; loss: number }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSentAt = -Infinity;
  /** Slices of versions up to this one are dropped (older than the newest, or cancelled). */
  private dropThrough = 0;
  /** The trainer's note on screen, if the message still is one: it speaks of the model it came with. */
  private shownNote: string | null = null;

  constructor(seriesId: SeriesId, private readonly options: SessionEventsOptions) {
    this.current = closedStatus(seriesId);
  }

  get status(): SessionStatus {
    return this.current;
  }

  /** Adds a subscriber and sends it the current status; returns the unsubscribe. */
  subscribe(sink: SessionSink): () => void {
    this.sinks.add(sink);
    sink(this.current);
    return () => this.sinks.delete(sink);
  }

  /** Changes the status; sent at once when `urgent` (phase, message), else throttled. */
  update(patch: Partial<Omit<SessionStatus, 'kind' | 'seriesId'>>, urgent = false): void {
    const phaseChanged = patch.phase !== undefined && patch.phase !== this.current.phase;
    const messageChanged = patch.message !== undefined && patch.message !== this.current.message;
    this.current = { ...this.current, ...patch };
    if (urgent || phaseChanged || messageChanged) this.flush();
    else this.schedule();
  }

  /** Records one step's loss for the plot. */
  addLoss(step: number, loss: number): void {
    this.points.push({ step, loss });
  }

  /**
   * A trainer note ("the network's version is not shown: ...", "the output
   * layer grew"): shown as the message until a newer model version makes it
   * stale, so that it does not linger over a model it no longer describes.
   */
  note(message: string): void {
    this.shownNote = message;
    this.update({ message });
  }

  /** A new model version: older slices become stale, and so does a trainer note still shown. */
  newVersion(version: number): void {
    this.dropThrough = Math.max(this.dropThrough, version - 1);
    if (this.shownNote !== null && this.current.message === this.shownNote) this.update({ message: null });
    this.shownNote = null;
  }

  /** Work up to `version` was cancelled: none of its slices may follow. */
  fence(version: number): void {
    this.dropThrough = Math.max(this.dropThrough, version);
  }

  /** Passes a slice or a volume's end on unless stale; true when passed. */
  versioned(event: Extract<SessionEvent, { kind: 'slice' | 'volumeDone' }>): boolean {
    if (event.modelVersion <= this.dropThrough) return false;
    this.dropThrough = Math.max(this.dropThrough, event.modelVersion - 1);
    this.send(event);
    return true;
  }

  private send(event: SessionEvent): void {
    for (const sink of [...this.sinks]) {
      try {
        sink(event);
      } catch (thrown) {
        this.options.log(`a session subscriber threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    }
  }

  /** Sends the pending loss points and the status now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastSentAt = this.options.now();
    if (this.points.length > 0 && this.current.sessionId !== null) {
      const points = this.points;
      this.points = [];
      this.send({ kind: 'losses', sessionId: this.current.sessionId, points });
    }
    this.send(this.current);
  }

  /** Stops the throttle timer (the service is closing). */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.sinks.clear();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastSentAt + this.options.throttleMs - this.options.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }
}
