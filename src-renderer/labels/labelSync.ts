/**
 * Keeps the app's copy of one series' labels in step with the open label
 * document. A stroke is sent at pen-up, never while it is being drawn (each
 * edit the app receives starts training work in the trainer, and half a
 * stroke is not what the user meant); other edits (fill, undo, accept,
 * segment changes) are taken ~300 ms after the last one. Edits go as
 * `labels.apply`, one at a time, each on top of the last acknowledged
 * revision. Nothing the user painted is dropped:
 * - while the connection is down, taken edits wait in order and are sent
 *   after it returns;
 * - on 'conflict' (the stored labels moved on elsewhere) the stored state is
 *   reloaded, the edits not yet acknowledged are laid over it (they are
 *   absolute voxel values, so re-applying them is safe) and sent again;
 * - any other refusal is kept and retried a few seconds later.
 */
import type { LabelSaveStatus, LayerChange, Segment } from '../../src-main/shared/contract/labels';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { decodeRuns } from '../../src-main/shared/labels/labelRuns';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import type { AppConnection } from '../bridge/appConnection';
import { decodeLabelState } from './decodeLabelState';
import { LabelDocument, type LabelDocumentOptions } from './labelDocument';
import { voxelCount } from './labelGrid';

/** One edit taken from the document, waiting for the app's acknowledgement. */
interface PendingEdit {
  readonly changes: LayerChange[];
  readonly segments?: Segment[];
}

/** Where the sync stands, for the status bar. */
export interface LabelSyncState {
  /** The last revision the app acknowledged. */
  readonly revision: number;
  /** Edits made but not yet acknowledged (taken or still in the document). */
  readonly unsavedEdits: number;
  readonly sending: boolean;
  /** Edits wait for the connection to return. */
  readonly offline: boolean;
  /** The last refusal (other than offline/conflict), retried; null once an edit goes through. */
  readonly error: string | null;
  /** Told once after a conflict reload. */
  readonly notice: string | null;
  /** The app's last word on saving to disk. */
  readonly saved: LabelSaveStatus | null;
}

export interface LabelSyncHooks {
  onState(state: LabelSyncState): void;
  /** The document was replaced by a reload (after a conflict). */
  onDocumentReplaced(document: LabelDocument): void;
}

export interface LabelSyncOptions {
  readonly debounceMs?: number;
  readonly retryMs?: number;
  readonly document?: LabelDocumentOptions;
}

export class LabelSync {
  private doc: LabelDocument;
  private offDocument: () => void;
  private readonly offStatus: Unsubscribe;
  private readonly offSaveStatus: Unsubscribe;
  private readonly queue: PendingEdit[] = [];
  private running: Promise<void> | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private revision: number;
  private offline = false;
  private error: string | null = null;
  private notice: string | null = null;
  private saved: LabelSaveStatus | null = null;
  private sending = false;
  private disposed = false;
  /** A stroke was under way at the last change: the next change without one is its pen-up. */
  private stroking = false;
  private readonly debounceMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly connection: AppConnection,
    readonly seriesId: SeriesId,
    document: LabelDocument,
    revision: number,
    private readonly hooks: LabelSyncHooks,
    private readonly options: LabelSyncOptions = {},
  ) {
    this.doc = document;
    this.revision = revision;
    this.debounceMs = options.debounceMs ?? 300;
    this.retryMs = options.retryMs ?? 5000;
    this.offDocument = document.onChange(() => this.edited());
    this.offStatus = connection.onStatus((status) => {
      if (status.state === 'open') {
        if (this.offline) {
          this.offline = false;
          void this.flush();
        }
      } else if (this.queue.length > 0 || this.doc.hasUnsentChanges) {
        this.offline = true;
        this.publish();
      }
    });
    this.offSaveStatus = connection.follow('labels.saveStatus', { seriesId }, {
      onEvent: (status) => {
        this.saved = status;
        this.publish();
      },
    });
  }

  get document(): LabelDocument {
    return this.doc;
  }

  /** Nothing waits to be sent. */
  get drained(): boolean {
    return this.queue.length === 0 && !this.doc.hasUnsentChanges && !this.sending;
  }

  get state(): LabelSyncState {
    return {
      revision: this.revision,
      unsavedEdits: this.queue.length + (this.doc.hasUnsentChanges ? 1 : 0),
      sending: this.sending,
      offline: this.offline,
      error: this.error,
      notice: this.notice,
      saved: this.saved,
    };
  }

  /** Sends every edit now; resolves true once all are acknowledged. */
  async flush(): Promise<boolean> {
    this.clearTimer('debounce');
    this.take();
    await this.drain();
    return this.drained;
  }

  /** Forgets the notice once the user has seen it. */
  dismissNotice(): void {
    this.notice = null;
    this.publish();
  }

  /** Stops everything (pending edits are dropped: flush first). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer('debounce');
    this.clearTimer('retry');
    this.offDocument();
    this.offStatus();
    this.offSaveStatus();
  }

  private edited(): void {
    if (this.disposed) return;
    const penUp = this.stroking && !this.doc.strokeActive;
    this.stroking = this.doc.strokeActive;
    if (!this.doc.hasUnsentChanges) return;
    this.clearTimer('debounce');
    if (!this.stroking) {
      this.debounce = setTimeout(() => {
        this.debounce = null;
        void this.flush();
      }, penUp ? 0 : this.debounceMs);
    }
    this.publish();
  }

  private take(): void {
    const changes = this.doc.takeLayerChanges();
    const segments = this.doc.takeSegmentChanges();
    if (changes.length > 0 || segments !== null) this.queue.push(segments === null ? { changes } : { changes, segments });
  }

  private async drain(): Promise<void> {
    while (this.running !== null) await this.running;
    if (this.queue.length === 0 || this.disposed) return;
    this.running = this.sendQueued();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  private async sendQueued(): Promise<void> {
    this.clearTimer('retry');
    while (this.queue.length > 0 && !this.disposed) {
      if (this.connection.status().state !== 'open') {
        this.offline = true;
        break;
      }
      const edit = this.queue[0] as PendingEdit;
      this.sending = true;
      this.publish();
      const result = await this.connection.call('labels.apply', {
        seriesId: this.seriesId,
        baseRevision: this.revision,
        changes: edit.changes,
        ...(edit.segments === undefined ? {} : { segments: edit.segments }),
      });
      this.sending = false;
      if (result.ok) {
        this.queue.shift();
        this.revision = result.value.revision;
        this.saved = result.value;
        this.error = null;
        continue;
      }
      if (result.error.code === 'unavailable') {
        this.offline = true;
        break;
      }
      if (result.error.code === 'conflict' && (await this.reload())) continue;
      if (result.error.code !== 'conflict') this.error = `Your label edits could not be saved: ${result.error.message}`;
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.flush();
      }, this.retryMs);
      break;
    }
    this.publish();
  }

  /** Reloads the stored labels and lays the unacknowledged edits over them; false when that failed. */
  private async reload(): Promise<boolean> {
    const loaded = await this.connection.call('labels.load', { seriesId: this.seriesId });
    if (this.disposed) return false;
    // Edits made while the reload was under way are laid over it too.
    this.take();
    if (!loaded.ok) {
      if (loaded.error.code === 'unavailable') this.offline = true;
      else this.error = `The labels were changed elsewhere and could not be reloaded: ${loaded.error.message}`;
      return false;
    }
    const grid = this.doc.grid;
    let fresh: LabelDocument;
    try {
      fresh = LabelDocument.create(grid, decodeLabelState(loaded.value, grid), this.options.document);
      for (const edit of this.queue) {
        for (const change of edit.changes) fresh.overlayRuns(change.layer, decodeRuns(change.runs, voxelCount(grid)));
        if (edit.segments !== undefined) fresh.overlaySegments(edit.segments);
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return false;
    }
    fresh.copyPredictionFrom(this.doc);
    this.offDocument();
    this.doc = fresh;
    this.offDocument = fresh.onChange(() => this.edited());
    this.revision = loaded.value.revision;
    const kept = this.queue.length > 0 ? ' and your edits not yet saved were laid over them' : '';
    this.notice = `The labels of this series were changed elsewhere (another window or an import). They were reloaded${kept}; the undo history starts again from here.`;
    this.hooks.onDocumentReplaced(fresh);
    return true;
  }

  private clearTimer(which: 'debounce' | 'retry'): void {
    const timer = this[which];
    if (timer !== null) clearTimeout(timer);
    this[which] = null;
  }

  private publish(): void {
    if (!this.disposed) this.hooks.onState(this.state);
  }
}
