/**
 * A fake app for the labels store: an AppConnection that answers the
 * labels.* calls from an in-memory copy of the stored layers (applying runs
 * exactly as the workspace does), can refuse with 'conflict' when the
 * revision moved on, can go offline and come back, and streams save status.
 */
import type { LabelSaveStatus, LayerChange, Segment } from '../../../src-main/shared/contract/labels';
import type { SeriesId } from '../../../src-main/shared/contract/series';
import { applyRuns, decodeRuns, runsToBytes, runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { err, ok, type Result } from '../../../src-main/shared/result';
import type { AppConnection, FollowHandlers } from '../../../src-renderer/bridge/appConnection';
import type { ConnectionStatus } from '../../../src-renderer/bridge/connectionState';

export interface StoredLabels {
  revision: number;
  dimensions: [number, number, number];
  segments: Segment[];
  strokes: Uint8Array;
  accepted: Uint8Array;
}

export interface ApplyCall {
  readonly seriesId: string;
  readonly baseRevision: number;
  readonly changes: LayerChange[];
  readonly segments?: Segment[];
}

export class FakeLabelsApp {
  readonly stored = new Map<string, StoredLabels>();
  readonly applies: ApplyCall[] = [];
  readonly flushes: string[] = [];
  loads = 0;
  private status: ConnectionStatus = { state: 'open', reason: null, retryInMs: null };
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly saveFollowers = new Map<string, Set<(status: LabelSaveStatus) => void>>();

  /** Stored labels for a series (empty layers). */
  addSeries(seriesId: string, dimensions: [number, number, number], segments: Segment[] = []): StoredLabels {
    const count = dimensions[0] * dimensions[1] * dimensions[2];
    const entry: StoredLabels = { revision: 0, dimensions, segments, strokes: new Uint8Array(count), accepted: new Uint8Array(count) };
    this.stored.set(seriesId, entry);
    return entry;
  }

  /** Goes offline ('lost') or back online. */
  setOnline(online: boolean): void {
    this.status = online ? { state: 'open', reason: null, retryInMs: null } : { state: 'lost', reason: 'test: socket closed', retryInMs: 1000 };
    for (const listener of [...this.statusListeners]) listener(this.status);
  }

  /** Streams a save status to the series' followers. */
  publishSave(seriesId: string, change: Partial<LabelSaveStatus>): void {
    const entry = this.stored.get(seriesId);
    const status: LabelSaveStatus = { seriesId: seriesId as SeriesId, state: 'saved', revision: entry?.revision ?? 0, savedRevision: entry?.revision ?? 0, savedAt: '2024-05-01T10:00:00.000Z', message: null, ...change };
    for (const emit of this.saveFollowers.get(seriesId) ?? []) emit(status);
  }

  readonly connection: AppConnection = {
    shell: 'browser',
    status: () => this.status,
    onStatus: (listener) => {
      this.statusListeners.add(listener);
      return () => this.statusListeners.delete(listener);
    },
    call: ((method: string, params: Record<string, unknown>) => Promise.resolve(this.answer(method, params))) as AppConnection['call'],
    follow: ((stream: string, params: { seriesId: string }, handlers: FollowHandlers<LabelSaveStatus>) => {
      if (stream !== 'labels.saveStatus') return () => undefined;
      const set = this.saveFollowers.get(params.seriesId) ?? new Set();
      set.add(handlers.onEvent);
      this.saveFollowers.set(params.seriesId, set);
      return () => set.delete(handlers.onEvent);
    }) as AppConnection['follow'],
    close: () => undefined,
  };

  private answer(method: string, params: Record<string, unknown>): Result<unknown> {
    if (this.status.state !== 'open') return err('unavailable', 'Not connected to the app; reconnecting.');
    const seriesId = params.seriesId as string;
    const entry = this.stored.get(seriesId);
    if (method === 'app.info') return err('not-found', 'not served by the fake');
    if (entry === undefined) return err('not-found', `No labels for ${seriesId}.`);
    if (method === 'labels.load') {
      this.loads++;
      return ok({ seriesId, revision: entry.revision, dimensions: entry.dimensions, segments: entry.segments, strokes: runsToBytes(runsFromLayer(entry.strokes)), accepted: runsToBytes(runsFromLayer(entry.accepted)) });
    }
    if (method === 'labels.apply') {
      const call = params as unknown as ApplyCall;
      this.applies.push(call);
      if (call.baseRevision !== entry.revision) return err('conflict', `The labels are at revision ${entry.revision}, not ${call.baseRevision}.`);
      for (const change of call.changes) applyRuns(entry[change.layer], decodeRuns(change.runs, entry.strokes.length));
      if (call.segments !== undefined) entry.segments = call.segments;
      entry.revision++;
      return ok(this.saveStatus(seriesId, entry));
    }
    if (method === 'labels.flush') {
      this.flushes.push(seriesId);
      return ok(this.saveStatus(seriesId, entry));
    }
    return err('bad-request', `The fake app does not serve ${method}.`);
  }

  private saveStatus(seriesId: string, entry: StoredLabels): LabelSaveStatus {
    return { seriesId: seriesId as SeriesId, state: 'saved', revision: entry.revision, savedRevision: entry.revision, savedAt: '2024-05-01T10:00:00.000Z', message: null };
  }
}
