/**
 * Read-only test hooks of the interactive loop (installed with the others,
 * only with `test-hooks=1`, see views/testHooks.ts): the session's state as
 * the panel sees it, the label layers as runs (to compute Dice against a
 * phantom's truth outside the page), and a timeline of pen-ups and
 * prediction updates on screen for the loop benchmark. Nothing here
 * changes state.
 */
import { encodeRuns, runsFromLayer } from '../../src-main/shared/labels/labelRuns';
import { useLabelsStore } from '../stores/labels';
import { useSessionStore } from '../stores/session';
import { useTrainerStore } from '../stores/trainer';

/** The loop as the training panel shows it. */
export interface LoopSummary {
  readonly seriesId: string | null;
  readonly sessionId: string | null;
  readonly phase: string;
  readonly step: number;
  readonly modelVersion: number;
  readonly newestVersion: number;
  /** The k slice on screen (sorted grid), or null. */
  readonly focusK: number | null;
  readonly counts: { readonly fresh: number; readonly stale: number; readonly pending: number; readonly none: number } | null;
  /** Versions shown, newest first. */
  readonly shown: ReadonlyArray<{ version: number; slices: number }>;
  readonly notice: string | null;
  readonly message: string | null;
  readonly actionError: string | null;
  readonly streamError: string | null;
  readonly trainerPid: number | null;
  readonly trainerRestarts: number;
}

/** One prediction update: when the document changed and when the next frame after a viewport redraw showed it (performance.now()). */
export interface LoopUpdate {
  readonly at: number;
  readonly shownAt: number;
  readonly newestVersion: number;
  /** Slices of the newest version on screen after the update, of `total`. */
  readonly fresh: number;
  readonly total: number;
}

export interface LoopTestHooks {
  summary(): LoopSummary;
  /** A layer of the open series as base64 label runs (labelRuns.ts), or null without labels. */
  layerRuns(layer: 'strokes' | 'accepted' | 'prediction'): string | null;
  /** Starts recording pen-ups in the viewports and prediction updates; `timeline` returns what was recorded. */
  startTimeline(): void;
  timeline(): { readonly penUps: readonly number[]; readonly updates: readonly LoopUpdate[] };
  dispose(): void;
}

const imageRendered = 'CORNERSTONE_IMAGE_RENDERED';

export function createLoopTestHooks(): LoopTestHooks {
  const labels = useLabelsStore();
  const session = useSessionStore();
  const trainer = useTrainerStore();
  let stopTimeline: (() => void) | null = null;
  let recorded: { penUps: number[]; updates: LoopUpdate[] } = { penUps: [], updates: [] };

  function startTimeline(): void {
    stopTimeline?.();
    const record = { penUps: [] as number[], updates: [] as LoopUpdate[] };
    recorded = record;
    const waiting: Array<Omit<LoopUpdate, 'shownAt'>> = [];
    const onUp = (event: MouseEvent): void => {
      if ((event.target as Element | null)?.closest?.('[data-viewport-mount]') != null) record.penUps.push(event.timeStamp);
    };
    const offChange = labels.document?.onChange((change) => {
      if (change.predictionChanged !== true) return;
      // The store refreshes its summary after the write; read it once this change has been handled.
      queueMicrotask(() => {
        const summary = session.slices;
        waiting.push({ at: performance.now(), newestVersion: summary?.newest ?? 0, fresh: summary?.counts.fresh ?? 0, total: summary?.statuses.length ?? 0 });
      });
    }) ?? (() => undefined);
    const onRendered = (): void => {
      if (waiting.length === 0) return;
      const done = waiting.splice(0);
      requestAnimationFrame(() => {
        const shownAt = performance.now();
        for (const update of done) record.updates.push({ ...update, shownAt });
      });
    };
    const mounts = [...document.querySelectorAll('[data-viewport-mount]')];
    window.addEventListener('mouseup', onUp, true);
    for (const mount of mounts) mount.addEventListener(imageRendered, onRendered);
    stopTimeline = () => {
      window.removeEventListener('mouseup', onUp, true);
      for (const mount of mounts) mount.removeEventListener(imageRendered, onRendered);
      offChange();
    };
  }

  return {
    summary() {
      const status = session.status;
      const slices = session.slices;
      return {
        seriesId: session.seriesId,
        sessionId: session.sessionId,
        phase: session.phase,
        step: status?.step ?? 0,
        modelVersion: status?.modelVersion ?? 0,
        newestVersion: slices?.newest ?? 0,
        focusK: session.focusK,
        counts: slices === null ? null : { ...slices.counts },
        shown: slices === null ? [] : slices.shown.map((entry) => ({ ...entry })),
        notice: session.notice?.text ?? null,
        message: status?.message ?? null,
        actionError: session.actionError,
        streamError: session.streamError,
        trainerPid: trainer.status?.pid ?? null,
        trainerRestarts: trainer.status?.restarts ?? 0,
      };
    },
    layerRuns(layer) {
      const doc = labels.document;
      if (doc == null) return null;
      return encodeRuns(runsFromLayer(layer === 'strokes' ? doc.strokes : layer === 'accepted' ? doc.accepted : doc.prediction));
    },
    startTimeline,
    timeline: () => ({ penUps: [...recorded.penUps], updates: [...recorded.updates] }),
    dispose() {
      stopTimeline?.();
      stopTimeline = null;
    },
  };
}
