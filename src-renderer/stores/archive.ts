/**
 * Archive scanning for pre-training: the scan in progress (phase, files
 * done, files/s, ETA), cancelling it, and the last scan's summary. A
 * cancelled scan is resumed by scanning the same folder again: the app keeps
 * what was read in the workspace's archive index.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, shallowRef } from 'vue';
import type { ArchiveScanEvent, ArchiveScanProgressEvent, ArchiveScanSummary } from '../../src-main/shared/contract/archiveApi';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import { useConnectionStore } from './connection';

export type { ArchiveScanSummary };

/** A scan as the archive panel shows it. */
export interface ArchiveScanRun {
  readonly root: string;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  /** The last progress event; null until the first. */
  readonly progress: Omit<ArchiveScanProgressEvent, 'kind'> | null;
  readonly error: string | null;
}

export const useArchiveStore = defineStore('archive', () => {
  const connectionStore = useConnectionStore();
  const run = shallowRef<ArchiveScanRun | null>(null);
  /** The summary of the last scan that finished (kept while a new one runs). */
  const lastSummary = shallowRef<ArchiveScanSummary | null>(null);
  let stopScan: Unsubscribe | null = null;

  const scanning = computed(() => run.value?.state === 'running');

  function update(change: Partial<ArchiveScanRun>): void {
    if (run.value !== null) run.value = { ...run.value, ...change };
  }

  function finish(): void {
    stopScan?.();
    stopScan = null;
  }

  function onEvent(event: ArchiveScanEvent): void {
    if (event.kind === 'progress') {
      const { kind: _kind, ...progress } = event;
      update({ progress });
      return;
    }
    lastSummary.value = event.summary;
    update({ state: event.summary.cancelled ? 'cancelled' : 'done' });
    finish();
  }

  /** Scans (or resumes scanning) a folder, an absolute path on the machine running the app. */
  function scan(root: string): boolean {
    const cleaned = root.trim();
    if (cleaned.length === 0 || scanning.value) return false;
    const connection = connectionStore.requireConnection();
    const base: ArchiveScanRun = { root: cleaned, state: 'running', progress: null, error: null };
    if (connection.status().state !== 'open') {
      run.value = { ...base, state: 'failed', error: 'Not connected to the app; try again once it is connected.' };
      return false;
    }
    run.value = base;
    const unfollow = connection.follow('archive.scan', { root: cleaned }, {
      onEvent,
      onEnd: (end) => {
        if (run.value?.state === 'running') {
          update({ state: end.reason === 'cancelled' ? 'cancelled' : 'failed', error: end.error?.message ?? `The scan stopped (${end.reason}).` });
        }
        finish();
      },
    });
    const offStatus = connection.onStatus((status) => {
      if (status.state === 'open' || run.value?.state !== 'running') return;
      update({ state: 'failed', error: 'The connection to the app was lost during the scan; scan again to resume it.' });
      finish();
    });
    stopScan = () => {
      offStatus();
      unfollow();
    };
    return true;
  }

  /** Stops the running scan; scanning the same folder again resumes it. */
  function cancel(): void {
    if (run.value?.state !== 'running') return;
    update({ state: 'cancelled', error: null });
    finish();
  }

  onScopeDispose(finish);

  return { run, lastSummary, scanning, scan, cancel };
});
