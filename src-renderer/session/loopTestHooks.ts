/**
 * Read-only test hooks of the interactive loop (installed with the others,
 * only with `test-hooks=1`, see views/testHooks.ts): the session's state as
 * the panel sees it, the label layers as runs (to compute Dice against a
 * phantom's truth outside the page), a timeline of pen-ups and
 * prediction updates on screen for the loop benchmark, and a sampler of the
 * age of the prediction on the slice on screen (continuous painting).
 * Nothing here changes state.
 */
import { watch } from 'vue';
import { runsToBytes, runsFromLayer } from '../../src-main/shared/labels/labelRuns';
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

/**
 * Ages of the prediction on the slice on screen, one per sample: now minus
 * the moment the page first heard of the model version that slice shows
 * (ms; null while it shows no prediction), and the versions that reached
 * the screen while sampling.
 */
export interface AgeSamples {
  readonly ages: ReadonlyArray<number | null>;
  /** Versions written into the prediction layer (any slice) while sampling. */
  readonly versionsShown: number;
  /** Versions the slice on screen showed while sampling. */
  readonly versionsOnFocus: number;
}

export interface LoopTestHooks {
  summary(): LoopSummary;
  /** A layer of the open series as label runs in bytes (runsToBytes in labelRuns.ts), or null without labels. */
  layerRuns(layer: 'strokes' | 'accepted' | 'prediction'): Uint8Array | null;
  /** Starts recording pen-ups in the viewports and prediction updates; `timeline` returns what was recorded. */
  startTimeline(): void;
  timeline(): { readonly penUps: readonly number[]; readonly updates: readonly LoopUpdate[] };
  /** Samples the age of the prediction on the slice on screen every `everyMs` until `ageSamples` is read with `stop`. */
  startAgeSampler(everyMs: number): void;
  ageSamples(stop: boolean): AgeSamples;
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

  let stopSampler: (() => void) | null = null;
  let sampled: { ages: Array<number | null>; shown: Set<number>; onFocus: Set<number> } = { ages: [], shown: new Set(), onFocus: new Set() };

  function startAgeSampler(everyMs: number): void {
    stopSampler?.();
    const record = { ages: [] as Array<number | null>, shown: new Set<number>(), onFocus: new Set<number>() };
    sampled = record;
    const heardAt = new Map<number, number>();
    const hear = (version: number | undefined): void => {
      if (version !== undefined && version > 0 && !heardAt.has(version)) heardAt.set(version, performance.now());
    };
    hear(session.status?.modelVersion);
    hear(session.slices?.newest);
    const offStatus = watch(() => session.status?.modelVersion, hear);
    const offSlices = watch(() => session.slices, (summary) => {
      hear(summary?.newest);
      for (const entry of summary?.shown ?? []) record.shown.add(entry.version);
    });
    const timer = setInterval(() => {
      const k = session.focusK;
      const version = k === null ? 0 : (session.slices?.versions[k] ?? 0);
      const heard = heardAt.get(version);
      if (version > 0) record.onFocus.add(version);
      record.ages.push(version === 0 || heard === undefined ? null : performance.now() - heard);
    }, everyMs);
    stopSampler = () => {
      clearInterval(timer);
      offStatus();
      offSlices();
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
      return runsToBytes(runsFromLayer(layer === 'strokes' ? doc.strokes : layer === 'accepted' ? doc.accepted : doc.prediction));
    },
    startTimeline,
    timeline: () => ({ penUps: [...recorded.penUps], updates: [...recorded.updates] }),
    startAgeSampler,
    ageSamples(stop) {
      if (stop) {
        stopSampler?.();
        stopSampler = null;
      }
      return { ages: [...sampled.ages], versionsShown: sampled.shown.size, versionsOnFocus: sampled.onFocus.size };
    },
    dispose() {
      stopTimeline?.();
      stopTimeline = null;
      stopSampler?.();
      stopSampler = null;
    },
  };
}
