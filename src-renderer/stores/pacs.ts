/**
 * The PACS panel's state: saved DICOMweb connections (never their secrets),
 * the chosen one, a study search (paged, cancellable), the series of an
 * opened study, a retrieve in progress (instances, MB/s, time left, cancel)
 * and the result of sending a DICOM-SEG. A retrieved series joins the series
 * list like an imported one.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PacsConnectionInput, RetrieveProgress, SeriesMatch, StoreResult, StudyMatch, StudyQuery } from '../../src-main/shared/contract/pacs';
import type { PacsConnections } from '../../src-main/shared/contract/pacsApi';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import { useConnectionStore } from './connection';
import { useSeriesStore } from './series';

export type StudyFilters = Omit<StudyQuery, 'offset' | 'limit'>;

export interface RetrieveRun {
  readonly seriesInstanceUid: string;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  readonly progress: Omit<RetrieveProgress, 'kind'> | null;
  /** Instances fetched and already present, when done. */
  readonly summary: string | null;
  readonly error: string | null;
}

export const pageSize = 25;

export const usePacsStore = defineStore('pacs', () => {
  const connectionStore = useConnectionStore();
  const seriesStore = useSeriesStore();
  const overview = shallowRef<PacsConnections | null>(null);
  const selectedId = ref<string | null>(null);
  const message = ref<{ kind: 'info' | 'error'; text: string } | null>(null);
  const studies = shallowRef<StudyMatch[]>([]);
  const more = ref(false);
  const offset = ref(0);
  const searching = ref(false);
  const openStudy = ref<string | null>(null);
  const series = shallowRef<SeriesMatch[]>([]);
  const retrieveRun = shallowRef<RetrieveRun | null>(null);
  const sendResult = shallowRef<StoreResult | null>(null);
  const sending = ref(false);
  /** The DICOM-SEG last exported from the Files menu (offered by "Send DICOM-SEG to PACS"), or null. */
  const lastExportedSeg = ref<string | null>(null);
  /** Asked from the Files menu: the panel opens its send form. */
  const sendRequested = ref(0);
  let lastFilters: StudyFilters = {};
  let stopSearch: Unsubscribe | null = null;
  let stopRetrieve: Unsubscribe | null = null;

  const connections = computed(() => overview.value?.connections ?? []);
  const selected = computed(() => connections.value.find((connection) => connection.id === selectedId.value) ?? null);
  const say = (kind: 'info' | 'error', text: string): void => {
    message.value = { kind, text };
  };

  async function load(): Promise<void> {
    const result = await connectionStore.requireConnection().call('pacs.connections', {});
    if (!result.ok) return say('error', result.error.message);
    overview.value = result.value;
    if (selected.value === null) selectedId.value = result.value.connections[0]?.id ?? null;
  }

  async function save(input: PacsConnectionInput): Promise<boolean> {
    const result = await connectionStore.requireConnection().call('pacs.saveConnection', input);
    if (!result.ok) {
      say('error', result.error.message);
      return false;
    }
    await load();
    selectedId.value = result.value.id;
    say('info', `Saved ${result.value.name}.`);
    return true;
  }

  async function remove(id: string): Promise<void> {
    const result = await connectionStore.requireConnection().call('pacs.removeConnection', { id });
    if (!result.ok) return say('error', result.error.message);
    overview.value = result.value;
    if (selectedId.value === id) selectedId.value = result.value.connections[0]?.id ?? null;
  }

  async function test(): Promise<void> {
    if (selectedId.value === null) return;
    say('info', 'Testing…');
    const result = await connectionStore.requireConnection().call('pacs.testConnection', { id: selectedId.value });
    say(result.ok ? 'info' : 'error', result.ok ? result.value.message : result.error.message);
  }

  function cancelSearch(): void {
    stopSearch?.();
    stopSearch = null;
    searching.value = false;
  }

  function search(filters: StudyFilters, pageOffset = 0): void {
    const connectionId = selectedId.value;
    if (connectionId === null) return;
    cancelSearch();
    lastFilters = filters;
    searching.value = true;
    message.value = null;
    stopSearch = connectionStore.requireConnection().follow('pacs.search', { connectionId, query: { ...filters, offset: pageOffset, limit: pageSize } }, {
      onEvent: (event) => {
        if (event.kind !== 'studies') return;
        studies.value = event.studies;
        more.value = event.more;
        offset.value = pageOffset;
        openStudy.value = null;
        series.value = [];
        cancelSearch();
      },
      onEnd: (end) => {
        if (end.reason === 'failed') say('error', end.error?.message ?? 'The search failed.');
        cancelSearch();
      },
    });
  }

  const nextPage = (): void => search(lastFilters, offset.value + pageSize);
  const previousPage = (): void => search(lastFilters, Math.max(0, offset.value - pageSize));

  function showSeries(studyInstanceUid: string): void {
    const connectionId = selectedId.value;
    if (connectionId === null) return;
    openStudy.value = studyInstanceUid;
    series.value = [];
    const off = connectionStore.requireConnection().follow('pacs.search', { connectionId, studyInstanceUid }, {
      onEvent: (event) => {
        if (event.kind === 'series' && openStudy.value === studyInstanceUid) series.value = event.series;
        off();
      },
      onEnd: (end) => {
        if (end.reason === 'failed') say('error', end.error?.message ?? 'Listing the series failed.');
      },
    });
  }

  function finishRetrieve(change: Partial<RetrieveRun>): void {
    if (retrieveRun.value !== null) retrieveRun.value = { ...retrieveRun.value, ...change };
    stopRetrieve?.();
    stopRetrieve = null;
  }

  function retrieve(match: SeriesMatch): void {
    const connectionId = selectedId.value;
    if (connectionId === null || retrieveRun.value?.state === 'running') return;
    retrieveRun.value = { seriesInstanceUid: match.seriesInstanceUid, state: 'running', progress: null, summary: null, error: null };
    stopRetrieve = connectionStore.requireConnection().follow('pacs.retrieve', { connectionId, studyInstanceUid: match.studyInstanceUid, seriesInstanceUid: match.seriesInstanceUid }, {
      onEvent: (event) => {
        if (event.kind === 'progress') {
          const { kind: _kind, ...progress } = event;
          if (retrieveRun.value !== null) retrieveRun.value = { ...retrieveRun.value, progress };
          return;
        }
        finishRetrieve({ state: 'done', summary: `${event.fetched} fetched, ${event.alreadyPresent} already in the workspace` });
        series.value = series.value.map((row) => (row.seriesInstanceUid === match.seriesInstanceUid ? { ...row, inWorkspace: true } : row));
        void seriesStore.refresh();
      },
      onEnd: (end) => {
        if (retrieveRun.value?.state === 'running') finishRetrieve({ state: end.reason === 'cancelled' ? 'cancelled' : 'failed', error: end.error?.message ?? null });
      },
    });
  }

  function cancelRetrieve(): void {
    if (retrieveRun.value?.state === 'running') finishRetrieve({ state: 'cancelled' });
  }

  /** STOW-RS of an exported DICOM-SEG to `connectionId`, or (null) to the server its series came from. */
  async function sendSeg(connectionId: string | null, path: string, seriesId: string | undefined): Promise<void> {
    sending.value = true;
    sendResult.value = null;
    const result = await connectionStore.requireConnection().call('pacs.sendSeg', { connectionId, path, ...(seriesId === undefined ? {} : { seriesId }) });
    sending.value = false;
    if (result.ok) sendResult.value = result.value;
    else say('error', result.error.message);
  }

  function noteExportedSeg(path: string): void {
    lastExportedSeg.value = path;
  }

  /** The Files menu's "Send DICOM-SEG to PACS…": opens the PACS panel's send form with the last export. */
  function requestSend(): void {
    sendRequested.value += 1;
  }

  return {
    lastExportedSeg, sendRequested, noteExportedSeg, requestSend,
    overview, connections, selectedId, selected, message, studies, more, offset, searching, openStudy, series, retrieveRun, sendResult, sending,
    load, save, remove, test, search, cancelSearch, nextPage, previousPage, showSeries, retrieve, cancelRetrieve, sendSeg,
  };
});
