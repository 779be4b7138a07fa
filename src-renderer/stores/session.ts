/**
 * The interactive fine-tuning loop of the open series, as the training
 * panel and the viewer see it: the session's status (phase, step, loss,
 * speed, backend, model version), the live loss curve, which model version
 * each slice's prediction comes from (fresh/stale/pending), and the
 * controls (pause, resume, cancel, reset, switch model).
 *
 * Enter with start(), exit with stop(). While started it follows
 * `session.events` of the series whose labels are open, starts a session
 * there once (the app answers phase 'closed' when there is none), writes
 * streamed slices into the prediction layer (newer versions only, batched
 * redraws: predictionFeed.ts), and tells the app which slice is on screen.
 * Strokes need no call: the app hears `labels.apply` itself.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import type { PartialSessionSettings, SessionEvent, SessionStatus } from '../../src-main/shared/contract/sessionApi';
import type { Unsubscribe } from '../../src-main/shared/rpc/transport';
import type { Result } from '../../src-main/shared/result';
import type { LabelDocument } from '../labels/labelDocument';
import { FocusSender, focusSliceOf } from '../session/focusSlice';
import { LossHistory, type LossPoint } from '../session/lossHistory';
import { PredictionFeed, timeoutScheduler } from '../session/predictionFeed';
import { RestartNotice, type RestartNoticeState } from '../session/restartNotice';
import { loadSessionSettings, saveSessionSettings } from '../session/sessionSettings';
import type { SliceVersionSummary } from '../session/sliceVersions';
import { useConnectionStore } from './connection';
import { useLabelsStore } from './labels';
import { useLayoutStore } from './layout';
import { useTrainerStore } from './trainer';
import { useViewerStore } from './viewer';

/** A control waiting for the app's answer. */
export type SessionAction = 'start' | 'pause' | 'resume' | 'cancel' | 'reset';

/** The last whole volume refined. */
export interface VolumeDone {
  readonly modelVersion: number;
  readonly slices: number;
  readonly seconds: number;
}

const workingPhases = new Set(['training', 'inferring', 'restarting']);

export const useSessionStore = defineStore('session', () => {
  const connectionStore = useConnectionStore();
  const labels = useLabelsStore();
  const viewer = useViewerStore();
  const layout = useLayoutStore();
  const trainer = useTrainerStore();

  const seriesId = ref<SeriesId | null>(null);
  const status = shallowRef<SessionStatus | null>(null);
  const pending = ref<SessionAction | null>(null);
  const actionError = ref<string | null>(null);
  const streamError = ref<string | null>(null);
  /** Where the session's model came from, as the start answered (e.g. "training from scratch"). */
  const initMessage = ref<string | null>(null);
  const losses = shallowRef<readonly LossPoint[]>([]);
  const slices = shallowRef<SliceVersionSummary | null>(null);
  const lastVolume = shallowRef<VolumeDone | null>(null);
  const notice = shallowRef<RestartNoticeState | null>(null);
  const focusK = ref<number | null>(null);
  /** What new sessions start from: 'default', 'none' or a registry model's id. */
  const init = ref('default');
  /** Settings for new sessions; missing fields take the trainer backend's defaults. */
  const settings = shallowRef<PartialSessionSettings>(loadSessionSettings());
  /** Start a session by itself when a series opens without one. */
  const autoStart = ref(true);

  const sessionId = computed(() => status.value?.sessionId ?? null);
  const phase = computed(() => status.value?.phase ?? 'closed');
  const working = computed(() => workingPhases.has(phase.value));
  /** A sentence when the slices on screen come from more than one model version. */
  const mixedVersions = computed<string | null>(() => {
    const shown = slices.value?.shown ?? [];
    if (shown.length < 2) return null;
    const [newest, ...older] = shown;
    const olderSlices = older.reduce((sum, entry) => sum + entry.slices, 0);
    return `Mixed model versions on screen: ${newest?.slices ?? 0} slices from version ${newest?.version ?? 0}, ${olderSlices} still from version ${older.map((entry) => entry.version).join(', ')}${working.value ? ' (being refined)' : ''}.`;
  });
  const focusStatus = computed(() => (focusK.value === null ? null : (slices.value?.statuses[focusK.value] ?? null)));

  let unfollow: Unsubscribe | null = null;
  let feed: PredictionFeed | null = null;
  let lossHistory = new LossHistory();
  let lossSession: string | null = null;
  const restart = new RestartNotice();
  const autoStarted = new Set<SeriesId>();
  const stops: Array<() => void> = [];
  const focusSender = new FocusSender((k) => void sendFocus(k), timeoutScheduler);

  function refreshSlices(): void {
    slices.value = feed === null ? null : feed.versions.summarize(working.value);
  }

  function applyStatus(next: SessionStatus): void {
    if (next.seriesId !== seriesId.value) return;
    const before = status.value?.sessionId ?? null;
    status.value = next;
    feed?.noteVersion(next.modelVersion);
    if (next.sessionId !== before) focusSender.reset();
    const changed = restart.onSession(next.phase, next.message);
    if (changed !== null) notice.value = changed;
    refreshSlices();
    maybeAutoStart();
  }

  /** Starts the open series' session once by itself; a start that failed (trainer not ready) is tried again when the trainer is. */
  function maybeAutoStart(): void {
    const id = seriesId.value;
    if (id === null || status.value?.phase !== 'closed' || !autoStart.value || autoStarted.has(id)) return;
    autoStarted.add(id);
    void startSession().then((started) => {
      if (!started && seriesId.value === id) autoStarted.delete(id);
    });
  }

  function onEvent(event: SessionEvent): void {
    streamError.value = null;
    switch (event.kind) {
      case 'status':
        applyStatus(event);
        return;
      case 'losses':
        if (event.sessionId !== lossSession) {
          lossSession = event.sessionId;
          lossHistory = new LossHistory();
        }
        lossHistory.add(event.points);
        losses.value = [...lossHistory.points];
        return;
      case 'slice':
        try {
          feed?.push(event);
        } catch (error) {
          streamError.value = error instanceof Error ? error.message : String(error);
        }
        return;
      case 'volumeDone':
        lastVolume.value = { modelVersion: event.modelVersion, slices: event.slices, seconds: event.seconds };
        return;
    }
  }

  /** Follows the session of the series whose labels are shown in `doc`. */
  function follow(id: SeriesId | null, doc: LabelDocument | null): void {
    if (doc !== null && id === seriesId.value && feed !== null) {
      feed.moveTo(doc); // the same series' document was reloaded: keep what it shows
      return;
    }
    unfollow?.();
    unfollow = null;
    feed?.dispose();
    feed = null;
    const left = seriesId.value;
    const leftSession = status.value?.sessionId ?? null;
    if (left !== null && left !== id) {
      // One session trains at a time: the series left gives the trainer back (its model is saved), and resumes from that save on return.
      autoStarted.delete(left);
      if (leftSession !== null) void connectionStore.requireConnection().call('session.close', { sessionId: leftSession });
    }
    seriesId.value = id;
    status.value = null;
    losses.value = [];
    lossHistory = new LossHistory();
    lossSession = null;
    lastVolume.value = null;
    initMessage.value = null;
    streamError.value = null;
    restart.dismiss();
    notice.value = null;
    if (id === null || doc === null) {
      refreshSlices();
      return;
    }
    feed = new PredictionFeed(doc, { onFlush: refreshSlices });
    refreshSlices();
    unfollow = connectionStore.requireConnection().follow('session.events', { seriesId: id }, {
      onEvent,
      onEnd: (end) => {
        streamError.value = end.error?.message ?? `The training session's stream ended (${end.reason}).`;
      },
    });
  }

  async function sendFocus(k: number): Promise<void> {
    const id = sessionId.value;
    if (id === null) return;
    const result = await connectionStore.requireConnection().call('session.focus', { sessionId: id, k });
    if (result.ok) applyStatus(result.value);
  }

  async function run(action: SessionAction, call: () => Promise<Result<SessionStatus>>): Promise<boolean> {
    pending.value = action;
    actionError.value = null;
    try {
      const result = await call();
      if (result.ok) applyStatus(result.value);
      else actionError.value = result.error.message;
      return result.ok;
    } catch (error) {
      actionError.value = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      pending.value = null;
    }
  }

  function bySession(action: Exclude<SessionAction, 'start'>, method: `session.${typeof action}`): Promise<boolean> {
    const id = sessionId.value;
    if (id === null) {
      actionError.value = 'No training session is running on this series.';
      return Promise.resolve(false);
    }
    return run(action, () => connectionStore.requireConnection().call(method, { sessionId: id }));
  }

  /** Forgets the prediction shown (the model behind it was replaced). */
  function clearPrediction(): void {
    feed?.versions.clear();
    labels.document?.clearPrediction();
    refreshSlices();
  }

  /**
   * Starts (or replaces) the session of the open series with the chosen
   * settings: with `resume`, the series' own saved session goes on where it
   * was (after a series switch or an app restart), else it starts from `from`.
   */
  async function startSession(from: string = init.value, resume = true): Promise<boolean> {
    const id = seriesId.value;
    if (id === null) {
      actionError.value = 'Open a series before starting a training session.';
      return false;
    }
    pending.value = 'start';
    actionError.value = null;
    try {
      const replacing = status.value !== null && status.value.phase !== 'closed';
      const result = await connectionStore.requireConnection().call('session.start', { seriesId: id, init: from, settings: settings.value, resume });
      if (seriesId.value !== id) return false;
      if (!result.ok) {
        actionError.value = `The training session could not start: ${result.error.message}`;
        return false;
      }
      init.value = from;
      initMessage.value = result.value.init.message;
      if (replacing) clearPrediction();
      feed?.noteVersion(result.value.modelVersion);
      focusSender.reset();
      return true;
    } finally {
      pending.value = null;
    }
  }

  const pause = (): Promise<boolean> => bySession('pause', 'session.pause');
  const resume = (): Promise<boolean> => bySession('resume', 'session.resume');
  const cancel = (): Promise<boolean> => bySession('cancel', 'session.cancel');

  /** Back to the init model; its old prediction is cleared, the next version replaces it. */
  async function reset(): Promise<boolean> {
    const done = await bySession('reset', 'session.reset');
    if (done) clearPrediction();
    return done;
  }

  /** Switches the model: a new session from `from` (a registry id, 'default' or 'none'), not the series' saved one. */
  function switchModel(from: string): Promise<boolean> {
    return startSession(from, false);
  }

  /** Settings for sessions started from now on (kept for the next launch too). */
  function setSettings(next: PartialSessionSettings): void {
    settings.value = { ...next };
    saveSessionSettings(settings.value);
  }

  function dismissNotice(): void {
    restart.dismiss();
    notice.value = null;
  }

  /** Enter: follows the open series' session and the slice on screen. */
  function start(): void {
    if (stops.length > 0) return;
    stops.push(
      watch(() => [labels.seriesId, labels.document] as const, ([id, doc]) => follow(doc == null ? null : id, doc ?? null), { immediate: true }),
      watch(
        () => [labels.document, viewer.readouts, layout.activePlane] as const,
        ([doc, readouts, active]) => {
          focusK.value = doc == null ? null : focusSliceOf(doc.grid, readouts, active);
          focusSender.update(focusK.value);
        },
        { immediate: true },
      ),
      watch(
        () => [trainer.status?.restarts, trainer.status?.message, trainer.state] as const,
        ([restarts, message]) => {
          if (trainer.state === 'ready') maybeAutoStart();
          if (restarts === undefined) return;
          const changed = restart.onTrainer(restarts, message ?? null, status.value !== null && status.value.phase !== 'closed');
          if (changed !== null) notice.value = changed;
        },
        { immediate: true },
      ),
    );
  }

  /** Exit: stops following (the app's session keeps running). */
  function stop(): void {
    for (const off of stops.splice(0)) off();
    unfollow?.();
    unfollow = null;
    feed?.dispose();
    feed = null;
    focusSender.dispose();
  }

  onScopeDispose(stop);

  return {
    seriesId, status, sessionId, phase, working, pending, actionError, streamError, initMessage,
    losses, slices, lastVolume, notice, focusK, focusStatus, mixedVersions, init, settings, autoStart,
    start, stop, startSession, pause, resume, cancel, reset, switchModel, setSettings, dismissNotice,
  };
});
