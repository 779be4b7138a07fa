/**
 * When to save one series' labels. Edits mark the labels dirty; a save
 * starts once edits pause (debounce) but never later than a maximum delay
 * after the first unsaved edit, so continuous painting is still saved every
 * couple of seconds. One save runs at a time; edits made during a save are
 * saved by the next one (coalesced). A failed save is retried after
 * `retryMs`, or sooner after the next edit.
 */

/** Milliseconds of each rule above. */
export interface AutosaveTiming {
  /** Quiet time after the last edit before saving. */
  readonly debounceMs: number;
  /** Longest wait after the first unsaved edit, under continuous edits. */
  readonly maxDelayMs: number;
  /** Wait before retrying a failed save when no edit comes. */
  readonly retryMs: number;
}

/** Saved within 2 s of the last edit (the requirement), retried every 5 s. */
export const defaultAutosaveTiming: AutosaveTiming = { debounceMs: 500, maxDelayMs: 2000, retryMs: 5000 };

/** Time and timers (injectable; by default the globals, looked up at call time so fake timers apply). */
export interface AutosaveClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const globalClock: AutosaveClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Schedules the saves of one series; `save` resolves true when it succeeded and never rejects. */
export class AutosaveScheduler {
  private firstEditAt: number | null = null;
  private lastEditAt: number | null = null;
  private retryAt: number | null = null;
  private saving: Promise<boolean> | null = null;
  private timer: unknown = null;
  private closed = false;

  constructor(
    private readonly save: () => Promise<boolean>,
    private readonly timing: AutosaveTiming = defaultAutosaveTiming,
    private readonly clock: AutosaveClock = globalClock,
  ) {}

  /** Whether something is not on disk yet (unsaved edits or a failed save). */
  get needsSave(): boolean {
    return this.firstEditAt !== null || this.retryAt !== null;
  }

  /** Records an edit and (re)schedules the save. */
  markDirty(): void {
    const now = this.clock.now();
    this.firstEditAt ??= now;
    this.lastEditAt = now;
    this.schedule();
  }

  /** Saves now (after a save in flight); resolves once the labels are saved or the attempt failed. */
  async flush(): Promise<void> {
    while (this.saving !== null) await this.saving;
    if (this.needsSave) await this.runSave();
  }

  /** Stops the timers and flushes; later edits are no longer scheduled. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.flush();
  }

  private schedule(): void {
    this.cancelTimer();
    if (this.closed || this.saving !== null) return; // the save in flight reschedules when it ends
    const due: number[] = [];
    if (this.firstEditAt !== null && this.lastEditAt !== null) {
      due.push(Math.min(this.lastEditAt + this.timing.debounceMs, this.firstEditAt + this.timing.maxDelayMs));
    }
    if (this.retryAt !== null) due.push(this.retryAt);
    if (due.length === 0) return;
    const delay = Math.max(0, Math.min(...due) - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.runSave();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private runSave(): Promise<boolean> {
    if (this.saving !== null) return this.saving;
    this.cancelTimer();
    // Edits from now on belong to the next save.
    this.firstEditAt = null;
    this.lastEditAt = null;
    this.retryAt = null;
    const run = this.save().then((saved) => {
      this.saving = null;
      if (!saved) this.retryAt = this.clock.now() + this.timing.retryMs;
      this.schedule();
      return saved;
    });
    this.saving = run;
    return run;
  }
}
