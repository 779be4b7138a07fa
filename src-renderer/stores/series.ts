/**
 * The imported series, as the app's workspace index lists them, which one is
 * selected (and so open in the viewer), and the import in progress with its
 * last report: refused files with their reasons, the non-DICOM count.
 *
 * Voxel data never lives in this store: pixels belong to the viewer
 * (cornerstone's cache). The summaries are immutable and replaced wholesale,
 * so a shallowRef is enough (a thumbnail data URL is a long string, not
 * something to proxy).
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { SeriesFileCheck } from '../../src-main/shared/contract/labels';
import type { ImportEvent, ImportReport, SeriesId, SeriesSummary } from '../../src-main/shared/contract/series';
import type { Result } from '../../src-main/shared/result';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import { useConnectionStore } from './connection';
import { useViewerStore } from './viewer';

export type { SeriesSummary };

/** An import as the import panel shows it. */
export interface ImportRun {
  readonly paths: readonly string[];
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Files found so far, and read so far. */
  readonly filesSeen: number;
  readonly filesRead: number;
  /** The app's report, once the import is done. */
  readonly report: ImportReport | null;
  readonly error: string | null;
}

/** Where the list stands. */
export type ListState = 'idle' | 'loading' | 'loaded' | 'failed';

export const useSeriesStore = defineStore('series', () => {
  const connectionStore = useConnectionStore();
  const viewerStore = useViewerStore();
  const entries = shallowRef<readonly SeriesSummary[]>([]);
  const selectedId = ref<SeriesId | null>(null);
  const listState = ref<ListState>('idle');
  const listError = ref<string | null>(null);
  const importRun = shallowRef<ImportRun | null>(null);
  const removing = ref<SeriesId | null>(null);
  const actionError = ref<string | null>(null);
  /** The last series.checkFiles answer per series id. */
  const fileChecks = shallowRef<Readonly<Record<string, SeriesFileCheck>>>({});
  let stopImport: Unsubscribe | null = null;
  let stopWatching: Unsubscribe | null = null;

  const selected = computed(() => entries.value.find((entry) => entry.seriesId === selectedId.value) ?? null);
  const isEmpty = computed(() => entries.value.length === 0);
  const importing = computed(() => importRun.value?.state === 'running');

  /** Replaces the list; a selected series that is gone is closed in the viewer too. */
  function replaceAll(next: readonly SeriesSummary[]): void {
    entries.value = Object.freeze([...next]);
    if (selectedId.value !== null && !next.some((entry) => entry.seriesId === selectedId.value)) {
      selectedId.value = null;
      viewerStore.close();
    }
  }

  /** Asks the app for the series in the workspace. */
  async function refresh(): Promise<boolean> {
    listState.value = 'loading';
    const result = await connectionStore.requireConnection().call('series.list', {});
    if (!result.ok) {
      listState.value = 'failed';
      listError.value = result.error.message;
      return false;
    }
    replaceAll(result.value);
    listState.value = 'loaded';
    listError.value = null;
    return true;
  }

  /** Selects a series and opens it in the viewer; an unknown id is ignored (the list may have just changed). */
  function select(id: string): void {
    const entry = entries.value.find((candidate) => candidate.seriesId === id);
    if (entry === undefined) return;
    if (selectedId.value === entry.seriesId && viewerStore.target?.seriesId === entry.seriesId) return;
    selectedId.value = entry.seriesId;
    void viewerStore.open(entry);
  }

  function clearSelection(): void {
    selectedId.value = null;
    viewerStore.close();
  }

  /** Forgets a series in the workspace (its files are never touched). */
  async function remove(id: SeriesId): Promise<boolean> {
    removing.value = id;
    actionError.value = null;
    try {
      const result = await connectionStore.requireConnection().call('series.remove', { seriesId: id });
      if (!result.ok) {
        actionError.value = result.error.message;
        return false;
      }
      replaceAll(result.value);
      return true;
    } finally {
      removing.value = null;
    }
  }

  /** Asks the app whether the series' source files are still where they were imported from. */
  async function checkFiles(id: SeriesId): Promise<Result<SeriesFileCheck>> {
    const result = await connectionStore.requireConnection().call('series.checkFiles', { seriesId: id });
    if (result.ok) fileChecks.value = { ...fileChecks.value, [id]: result.value };
    return result;
  }

  /**
   * Points the series at its files found under `folder` (the app refuses,
   * changing nothing, unless it finds all of them); then checks the files
   * again and, when the series is the one shown, reloads it in the viewer.
   */
  async function relocate(id: SeriesId, folder: string): Promise<Result<SeriesSummary>> {
    const result = await connectionStore.requireConnection().call('series.relocate', { seriesId: id, folder: folder.trim() });
    if (!result.ok) return result;
    replaceAll(entries.value.map((entry) => (entry.seriesId === id ? result.value : entry)));
    await checkFiles(id);
    if (selectedId.value === id) {
      viewerStore.close();
      void viewerStore.open(result.value);
    }
    return result;
  }

  function updateRun(change: Partial<ImportRun>): void {
    if (importRun.value !== null) importRun.value = { ...importRun.value, ...change };
  }

  function finishImport(): void {
    stopImport?.();
    stopImport = null;
  }

  function onImportEvent(event: ImportEvent): void {
    if (event.kind === 'progress') {
      updateRun({ filesSeen: event.filesSeen, filesRead: event.filesRead });
      return;
    }
    updateRun({ state: 'done', report: event.report, filesSeen: event.report.filesScanned, filesRead: event.report.filesScanned });
    finishImport();
    void refresh();
  }

  /**
   * Imports files or folders (absolute paths on the machine running the app).
   * The stream runs once: if the connection drops meanwhile, the import is
   * reported as interrupted rather than started again on reconnection.
   */
  function importPaths(paths: readonly string[]): boolean {
    const cleaned = paths.map((entry) => entry.trim()).filter((entry) => entry.length > 0);
    if (cleaned.length === 0 || importing.value) return false;
    const connection = connectionStore.requireConnection();
    const base: ImportRun = { paths: cleaned, state: 'running', filesSeen: 0, filesRead: 0, report: null, error: null };
    if (connection.status().state !== 'open') {
      importRun.value = { ...base, state: 'failed', error: 'Not connected to the app; try again once it is connected.' };
      return false;
    }
    importRun.value = base;
    const unfollow = connection.follow('series.import', { paths: [...cleaned] }, {
      onEvent: onImportEvent,
      onEnd: (end) => {
        if (importRun.value?.state === 'running') {
          updateRun({ state: end.reason === 'cancelled' ? 'cancelled' : 'failed', error: end.error?.message ?? `The import stopped (${end.reason}).` });
        }
        finishImport();
      },
    });
    const offStatus = connection.onStatus((status) => {
      if (status.state === 'open' || importRun.value?.state !== 'running') return;
      updateRun({ state: 'failed', error: 'The connection to the app was lost during the import; the list shows what was imported.' });
      finishImport();
    });
    stopImport = () => {
      offStatus();
      unfollow();
    };
    return true;
  }

  /** Stops the running import (files already indexed stay). */
  function cancelImport(): void {
    if (importRun.value?.state !== 'running') return;
    updateRun({ state: 'cancelled', error: null });
    finishImport();
    void refresh();
  }

  /** Lists the workspace now (when connected) and again after every reconnection, until stop(). */
  function start(): void {
    if (stopWatching !== null) return;
    stopWatching = watch(() => connectionStore.state, (state) => {
      if (state === 'open') void refresh();
    }, { immediate: true });
  }

  /** Stops refreshing on reconnection and stops following a running import. */
  function stop(): void {
    stopWatching?.();
    stopWatching = null;
    finishImport();
  }

  onScopeDispose(stop);

  return {
    entries, selectedId, selected, isEmpty, listState, listError, importRun, importing, removing, actionError, fileChecks,
    start, stop, replaceAll, refresh, select, clearSelection, remove, importPaths, cancelImport, checkFiles, relocate,
  };
});
