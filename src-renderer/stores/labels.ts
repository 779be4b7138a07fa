/**
 * The labels of the series in view: its LabelDocument (held raw: voxel
 * buffers never become reactive), loaded with `labels.load` when the series
 * is selected and kept in step with the app by a LabelSync (debounced
 * `labels.apply`, resend after reconnection, reload on conflict). Exposes
 * undo/redo and the save state the status bar shows. Before another series
 * opens, the edits of the last one are flushed; if they cannot be sent yet
 * (offline), its sync keeps them and sends them once it can. Label files
 * come in here too: a NIfTI import is stored by the app and its answer
 * replaces the document; a DICOM-SEG import becomes one undoable edit.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { err, ok, type Result } from '../../src-main/shared/result';
import { decodeLabelState } from '../labels/decodeLabelState';
import { acceptConfirmation } from '../labels/acceptMessage';
import { applySegImport, describeNiftiImport, type LabelImportSummary } from '../labels/labelFileImport';
import { LabelDocument, type AcceptScope, type LabelChange } from '../labels/labelDocument';
import { gridFromGeometry } from '../labels/labelGrid';
import { LabelSync, type LabelSyncState } from '../labels/labelSync';
import { describeSave, type SaveState } from '../labels/saveState';
import { useConnectionStore } from './connection';
import { useSeriesStore } from './series';

export type { LabelImportSummary, SaveState };

export type LabelsLoadState = 'idle' | 'loading' | 'loaded' | 'failed';

const unsentMessage = 'Your latest label edits could not be sent to the app yet (see the status bar), so the file would miss them. Try again once they are saved.';

export const useLabelsStore = defineStore('labels', () => {
  const connectionStore = useConnectionStore();
  const series = useSeriesStore();
  const document = shallowRef<LabelDocument | null>(null);
  const seriesId = ref<SeriesId | null>(null);
  const loadState = ref<LabelsLoadState>('idle');
  const loadError = ref<string | null>(null);
  const syncState = shallowRef<LabelSyncState | null>(null);
  const canUndo = ref(false);
  const canRedo = ref(false);
  const hasPrediction = ref(false);
  /** Bumped when the segment list of the document changes (or another document opens). */
  const segmentsVersion = ref(0);
  let sync: LabelSync | null = null;
  /** Syncs of series left while their edits could not be sent yet. */
  const retiring = new Map<SeriesId, LabelSync>();
  let offDocument: (() => void) | null = null;
  let loadToken = 0;

  const revision = computed(() => syncState.value?.revision ?? 0);
  const save = computed(() => describeSave(syncState.value));
  const saveState = computed<SaveState | null>(() => save.value?.state ?? null);
  const saveMessage = computed<string | null>(() => save.value?.message ?? null);
  const savedAt = computed<string | null>(() => syncState.value?.saved?.savedAt ?? null);
  const notice = computed<string | null>(() => syncState.value?.notice ?? null);

  function refreshFlags(doc: LabelDocument | null): void {
    canUndo.value = doc?.canUndo ?? false;
    canRedo.value = doc?.canRedo ?? false;
    hasPrediction.value = doc?.hasPrediction ?? false;
  }

  function show(doc: LabelDocument | null): void {
    offDocument?.();
    offDocument = null;
    document.value = doc === null ? null : markRaw(doc);
    if (doc !== null) {
      offDocument = doc.onChange((change: LabelChange) => {
        if (change.historyChanged === true) refreshFlags(doc);
        if (change.predictionChanged === true) hasPrediction.value = doc.hasPrediction;
        if (change.segmentsChanged === true) segmentsVersion.value++;
      });
    }
    refreshFlags(doc);
    segmentsVersion.value++;
  }

  function adopt(next: LabelSync): void {
    sync = next;
    syncState.value = next.state;
    show(next.document);
    loadState.value = 'loaded';
  }

  function startSync(id: SeriesId, doc: LabelDocument, stored: number): LabelSync {
    let created: LabelSync | null = null;
    created = new LabelSync(connectionStore.requireConnection(), id, doc, stored, {
      onState: (state) => {
        if (created === sync) syncState.value = state;
        else if (created !== null && created.drained) finishRetiring(created);
      },
      onDocumentReplaced: (fresh) => {
        if (created === sync) show(fresh);
      },
    });
    return created;
  }

  function finishRetiring(old: LabelSync): void {
    if (retiring.get(old.seriesId) !== old) return;
    retiring.delete(old.seriesId);
    old.dispose();
  }

  /** Sends what the series being left still holds, then lets it go (kept while offline). */
  async function retire(old: LabelSync): Promise<void> {
    retiring.set(old.seriesId, old);
    const sent = await old.flush();
    if (!sent) return; // kept in `retiring`; its sync sends the edits once the app is back
    try {
      await connectionStore.requireConnection().call('labels.flush', { seriesId: old.seriesId });
    } finally {
      finishRetiring(old);
    }
  }

  async function open(id: SeriesId | null): Promise<void> {
    if (id === seriesId.value) return;
    const token = ++loadToken;
    if (sync !== null) void retire(sync);
    sync = null;
    syncState.value = null;
    show(null);
    seriesId.value = id;
    loadError.value = null;
    if (id === null) {
      loadState.value = 'idle';
      return;
    }
    const waiting = retiring.get(id);
    if (waiting !== undefined) {
      retiring.delete(id);
      adopt(waiting);
      return;
    }
    const geometry = series.selected?.seriesId === id ? series.selected.geometry : null;
    if (geometry === null) return fail('This series has no image geometry, so it cannot be labelled.');
    loadState.value = 'loading';
    try {
      const connection = connectionStore.requireConnection();
      const result = await connection.call('labels.load', { seriesId: id });
      if (token !== loadToken) return;
      if (!result.ok) return fail(`The labels of this series could not be loaded: ${result.error.message}`);
      const grid = gridFromGeometry(geometry);
      const doc = LabelDocument.create(grid, decodeLabelState(result.value, grid));
      adopt(startSync(id, doc, result.value.revision));
    } catch (error) {
      if (token === loadToken) fail(error instanceof Error ? error.message : String(error));
    }
  }

  function fail(message: string): void {
    loadState.value = 'failed';
    loadError.value = message;
  }

  /** Undoes the last edit of the open series; false when there was none. */
  function undo(): boolean {
    return document.value?.undo() != null;
  }

  function redo(): boolean {
    return document.value?.redo() != null;
  }

  /** Accepts the prediction in `scope`; returns a message for the user when nothing (or an error) happened. */
  /** Accepts the prediction in `scope`; returns what to tell the user, whether it worked or not. */
  function acceptPrediction(scope: AcceptScope): string {
    const doc = document.value;
    if (doc === null) return 'No series is open.';
    try {
      const change = doc.acceptPrediction(scope);
      if (change === null) return 'Nothing to accept there: the prediction adds nothing outside your strokes and erasures.';
      const segmentName = scope.kind === 'segment' ? (doc.segments.find((segment) => segment.label === scope.label)?.name ?? null) : null;
      return acceptConfirmation(scope, { voxels: change.changed.length, kSlices: change.kSlices }, doc.grid, segmentName);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Sends every pending edit now and asks the app to write them to disk; true when both succeeded. */
  async function flush(): Promise<boolean> {
    if (sync === null) return true;
    const current = sync;
    if (!(await current.flush())) return false;
    const result = await connectionStore.requireConnection().call('labels.flush', { seriesId: current.seriesId });
    return result.ok && result.value.state === 'saved';
  }

  function dismissNotice(): void {
    sync?.dismissNotice();
  }

  /** Sends every pending edit to the app (before an export reads its copy); throws with a message when they could not be sent. */
  async function sendEdits(): Promise<void> {
    if (sync !== null && !(await sync.flush())) throw new Error(unsentMessage);
  }

  /** The open series' sync, with every pending edit sent (an import must build on what the app holds). */
  async function syncedForImport(): Promise<Result<{ current: LabelSync; id: SeriesId; doc: LabelDocument }>> {
    const current = sync;
    const id = seriesId.value;
    if (current === null || id === null) return err('bad-request', 'Open a series with its labels loaded before importing labels.');
    if (!(await current.flush())) return err('unavailable', unsentMessage);
    // Taken after the flush: a conflict reload during it may have replaced the document.
    return ok({ current, id, doc: current.document });
  }

  /**
   * Reads a NIfTI label map into the accepted layer (the app stores it as a
   * new revision) and shows the state the app answers. Edits made while it
   * was read are laid over it by the sync's conflict reload.
   */
  async function importNifti(path: string): Promise<Result<LabelImportSummary>> {
    const ready = await syncedForImport();
    if (!ready.ok) return ready;
    const { current, id, doc } = ready.value;
    const answer = await connectionStore.requireConnection().call('labels.importNifti', { seriesId: id, path, baseRevision: current.state.revision });
    if (!answer.ok) return answer;
    let fresh: LabelDocument;
    try {
      fresh = LabelDocument.create(doc.grid, decodeLabelState(answer.value, doc.grid));
    } catch (error) {
      return err('bad-request', error instanceof Error ? error.message : String(error));
    }
    const summary = describeNiftiImport(doc, fresh);
    if (current !== sync) return ok(summary); // another series opened meanwhile; the import is stored
    if (current.drained) {
      // Nothing unacknowledged: the app's answer holds every edit made here.
      fresh.copyPredictionFrom(current.document);
      current.dispose();
      adopt(startSync(id, fresh, answer.value.revision));
    } else {
      void current.flush(); // edits made meanwhile: refused as a conflict, then laid over the reloaded import
    }
    return ok(summary);
  }

  /** Reads a DICOM-SEG onto the open series: its voxels into the accepted layer and its new segments, as one undoable edit, then sends it. */
  async function importSeg(path: string): Promise<Result<LabelImportSummary>> {
    const ready = await syncedForImport();
    if (!ready.ok) return ready;
    const { current, id } = ready.value;
    const answer = await connectionStore.requireConnection().call('labels.importSeg', { seriesId: id, path });
    if (!answer.ok) return answer;
    if (current !== sync || document.value === null) return err('conflict', `Another series was opened while ${path} was read; nothing was imported.`);
    let summary: LabelImportSummary;
    try {
      summary = applySegImport(document.value, answer.value, path);
    } catch (error) {
      return err('bad-request', error instanceof Error ? error.message : String(error));
    }
    void current.flush();
    return ok(summary);
  }

  const stopWatching = watch(() => series.selectedId, (id) => void open(id), { immediate: true });

  onScopeDispose(() => {
    stopWatching();
    offDocument?.();
    sync?.dispose();
    for (const old of retiring.values()) old.dispose();
    retiring.clear();
  });

  return {
    document, seriesId, loadState, loadError, revision, saveState, saveMessage, savedAt, notice,
    canUndo, canRedo, hasPrediction, segmentsVersion,
    undo, redo, acceptPrediction, flush, dismissNotice, sendEdits, importNifti, importSeg,
  };
});
