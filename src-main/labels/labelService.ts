/**
 * The label store of a workspace: per series, the labels in memory
 * (SeriesLabels), their file (labelFileIo) and their autosave
 * (AutosaveScheduler), with the save status every client can watch.
 * Framework-free: the desktop app, the browser host and the CLI share it.
 * Hosts must call `close()` on shutdown so the last edits reach the disk.
 */
import type { LabelSaveStatus, LabelState, LayerChange } from '../shared/contract/labels';
import type { SeriesGeometry, SeriesId } from '../shared/contract/series';
import type { AtomicWriteFs } from '../workspace/atomicWrite';
import { AutosaveScheduler, defaultAutosaveTiming, globalClock, type AutosaveClock, type AutosaveTiming } from './autosaveScheduler';
import { LabelError } from './labelError';
import { readLabelFile, removeStaleTempFiles, writeLabelFile } from './labelFileIo';
import { labelFilePath } from './labelPaths';
import { labelSeriesOf, type LabelSeriesSource } from './labelSeriesGrid';
import { saveFailureMessage } from './saveFailure';
import { SeriesLabels, type LabelEdit } from './seriesLabels';

export interface LabelServiceOptions {
  readonly workspaceDir: string;
  readonly series: LabelSeriesSource;
  /** Replaces the file system of the atomic writes (tests: a full disk). */
  readonly fs?: AtomicWriteFs;
  readonly timing?: AutosaveTiming;
  readonly clock?: AutosaveClock;
  readonly log?: (line: string) => void;
}

/** One loaded series: its labels, file, save state and status listeners. */
export interface OpenSeriesLabels {
  readonly labels: SeriesLabels;
  readonly geometry: SeriesGeometry;
  readonly file: string;
  /** Marks an edit made directly on `labels` (imports) so it is saved and announced. */
  edited(): void;
}

/** An edit the store took: its layer changes as applied, or 'all' when the layers changed wholesale (an import). */
export interface AppliedLabels {
  readonly seriesId: string;
  readonly revision: number;
  readonly changes: readonly LayerChange[] | 'all';
}

export interface LabelService {
  /** The stored labels; a corrupt file is reported once, as a LabelError naming where it was kept. */
  load(seriesId: string): Promise<LabelState>;
  /** Applies an edit (see SeriesLabels.apply) and schedules its save. */
  apply(seriesId: string, edit: LabelEdit): Promise<LabelSaveStatus>;
  /** Saves now; the status after the attempt. */
  flush(seriesId: string): Promise<LabelSaveStatus>;
  status(seriesId: string): Promise<LabelSaveStatus>;
  /** Calls `listener` with the current status at once, then on every change; returns the unsubscribe. */
  onStatus(seriesId: string, listener: (status: LabelSaveStatus) => void): Promise<() => void>;
  /** Calls `listener` after every edit the store took (the interactive session trains on them); returns the unsubscribe. */
  onApplied(listener: (applied: AppliedLabels) => void): () => void;
  /** The loaded series, for operations built on the store (NIfTI transfer). */
  open(seriesId: string): Promise<OpenSeriesLabels>;
  /** The label file of a series. */
  fileOf(seriesId: string): string;
  /** Stops autosave timers and saves every series with unsaved edits; later edits are refused. */
  close(): Promise<void>;
}

interface Entry extends OpenSeriesLabels {
  readonly scheduler: AutosaveScheduler;
  readonly listeners: Set<(status: LabelSaveStatus) => void>;
  savedRevision: number;
  savedAt: string | null;
  failure: string | null;
  /** A corrupt-file problem not yet reported by `load`. */
  problem: string | null;
  lastEmitted: string;
}

/** Creates the label store of `options.workspaceDir`. */
export function createLabelService(options: LabelServiceOptions): LabelService {
  const timing = options.timing ?? defaultAutosaveTiming;
  const clock = options.clock ?? globalClock;
  const log = options.log ?? (() => undefined);
  const entries = new Map<string, Promise<Entry>>();
  const appliedListeners = new Set<(applied: AppliedLabels) => void>();
  let closed = false;

  const tellApplied = (entry: Entry, changes: AppliedLabels['changes']): void => {
    const applied: AppliedLabels = { seriesId: entry.labels.grid.seriesId, revision: entry.labels.revision, changes };
    for (const listener of [...appliedListeners]) {
      try {
        listener(applied);
      } catch (thrown) {
        log(`a listener of applied labels threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    }
  };

  const statusOf = (entry: Entry): LabelSaveStatus => ({
    seriesId: entry.labels.grid.seriesId as SeriesId,
    state: entry.failure !== null ? 'failed' : entry.labels.revision === entry.savedRevision ? 'saved' : 'pending',
    revision: entry.labels.revision,
    savedRevision: entry.savedRevision,
    savedAt: entry.savedAt,
    message: entry.failure,
  });

  const announce = (entry: Entry): void => {
    const status = statusOf(entry);
    const key = JSON.stringify(status);
    if (key === entry.lastEmitted) return;
    entry.lastEmitted = key;
    for (const listener of entry.listeners) listener(status);
  };

  const save = async (entry: Entry): Promise<boolean> => {
    const content = entry.labels.snapshot(new Date(clock.now()).toISOString());
    try {
      await writeLabelFile(entry.file, content, options.fs);
      entry.savedRevision = content.revision;
      entry.savedAt = content.savedAt;
      entry.failure = null;
      announce(entry);
      return true;
    } catch (thrown) {
      entry.failure = saveFailureMessage(entry.file, thrown, timing.retryMs);
      log(entry.failure);
      announce(entry);
      return false;
    }
  };

  const openEntry = async (seriesId: string): Promise<Entry> => {
    const { grid, geometry } = labelSeriesOf(options.series, seriesId);
    const file = labelFilePath(options.workspaceDir, seriesId);
    await removeStaleTempFiles(file);
    const read = await readLabelFile(file);
    let labels = SeriesLabels.empty(grid);
    let savedAt: string | null = null;
    let problem: string | null = null;
    if (read.kind === 'ok') {
      const { content } = read;
      if (content.seriesId !== seriesId || content.dimensions.some((size, axis) => size !== grid.dimensions[axis])) {
        throw new LabelError(
          'unavailable',
          `The labels file ${file} belongs to series ${content.seriesId} on a ${content.dimensions.join('x')} grid, but series ${seriesId} now has a ${grid.dimensions.join('x')} grid (re-imported with other slices?). The file was left untouched.`,
        );
      }
      labels = SeriesLabels.fromFile(grid, content);
      savedAt = content.savedAt;
    } else if (read.kind === 'corrupt') {
      problem = read.problem;
      log(problem);
    }
    const entry: Entry = {
      labels,
      geometry,
      file,
      scheduler: new AutosaveScheduler(() => save(entry), timing, clock),
      listeners: new Set(),
      savedRevision: labels.revision,
      savedAt,
      failure: null,
      problem,
      lastEmitted: '',
      edited: () => {
        entry.scheduler.markDirty();
        announce(entry);
        tellApplied(entry, 'all');
      },
    };
    entry.lastEmitted = JSON.stringify(statusOf(entry));
    return entry;
  };

  const entryOf = (seriesId: string): Promise<Entry> => {
    if (closed) return Promise.reject(new LabelError('unavailable', 'The label store is closed (the app is shutting down): the edit was not applied.'));
    let entry = entries.get(seriesId);
    if (entry === undefined) {
      entry = openEntry(seriesId);
      // A failed open (unreadable file, unknown series) is tried afresh next time.
      entry.catch(() => entries.delete(seriesId));
      entries.set(seriesId, entry);
    }
    return entry;
  };

  return {
    async load(seriesId) {
      const entry = await entryOf(seriesId);
      if (entry.problem !== null) {
        const problem = entry.problem;
        entry.problem = null;
        throw new LabelError('io', `${problem} Open the series again to start labelling it afresh.`);
      }
      return entry.labels.toState();
    },
    async apply(seriesId, edit) {
      const entry = await entryOf(seriesId);
      if (entry.labels.apply(edit)) {
        entry.scheduler.markDirty();
        announce(entry);
        tellApplied(entry, edit.changes);
      }
      return statusOf(entry);
    },
    async flush(seriesId) {
      const entry = await entryOf(seriesId);
      await entry.scheduler.flush();
      return statusOf(entry);
    },
    async status(seriesId) {
      return statusOf(await entryOf(seriesId));
    },
    async onStatus(seriesId, listener) {
      const entry = await entryOf(seriesId);
      entry.listeners.add(listener);
      listener(statusOf(entry));
      return () => entry.listeners.delete(listener);
    },
    onApplied(listener) {
      appliedListeners.add(listener);
      return () => appliedListeners.delete(listener);
    },
    open: entryOf,
    fileOf: (seriesId) => labelFilePath(options.workspaceDir, seriesId),
    async close() {
      if (closed) return;
      closed = true;
      const open = await Promise.allSettled(entries.values());
      await Promise.all(open.map((settled) => (settled.status === 'fulfilled' ? settled.value.scheduler.close() : undefined)));
    },
  };
}
