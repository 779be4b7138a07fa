/**
 * Read-only hooks for the end-to-end test and the brush benchmark, put on
 * `window.__maclTest` ONLY when the page was opened with `test-hooks=1` in
 * its query: voxel counts and checksums of the open series' label layers,
 * the final labels as runs, the save state, and brush latency (from a
 * pointer event to the labelmap redrawn on screen). Without the flag nothing is installed and nothing of
 * this runs. The hooks never change state.
 */
import { runsToBytes, runsFromLayer } from '../../src-main/shared/labels/labelRuns';
import { createLoopTestHooks, type LoopTestHooks } from '../session/loopTestHooks';
import { useLabelsStore } from '../stores/labels';

/** What `window.__maclTest` offers. */
export interface MaclTestHooks {
  /** Per label: stroke and accepted voxel counts; and FNV-1a checksums of both layers; null without labels. */
  labelSummary(): LabelSummary | null;
  /** The final labels (a stroke over the accepted value; background strokes and erased voxels as 0) as label runs in bytes (runsToBytes), as files export them; null without labels. */
  finalLabels(): Uint8Array | null;
  /** Starts timing pointer-to-render latency of strokes; `stop` returns the samples in ms. */
  startLatency(): void;
  stopLatency(): number[];
  /** The interactive loop: session state, layers as runs, pen-up/prediction timeline (session/loopTestHooks.ts). */
  loop: LoopTestHooks;
}

export interface LabelSummary {
  readonly counts: Record<string, { strokes: number; accepted: number }>;
  readonly strokesChecksum: string;
  readonly acceptedChecksum: string;
}

declare global {
  interface Window {
    __maclTest?: MaclTestHooks;
  }
}

/** FNV-1a (32-bit) of a byte array, as 8 hex digits. */
export function fnv1a(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < bytes.length; index++) {
    hash ^= bytes[index] ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The event cornerstone dispatches on a viewport element after drawing it. */
const imageRendered = 'CORNERSTONE_IMAGE_RENDERED';

/** Installs the hooks when `search` asks for them; returns their removal. */
export function installTestHooks(search: string): () => void {
  if (new URLSearchParams(search).get('test-hooks') !== '1') return () => undefined;
  const labels = useLabelsStore();
  let recording: { samples: number[]; pending: number | null; stop: () => void } | null = null;

  function startLatency(): void {
    recording?.stop();
    const samples: number[] = [];
    let lastPointer: number | null = null;
    const onPointer = (event: MouseEvent): void => {
      if (event.buttons !== 0) lastPointer = event.timeStamp;
    };
    // A change caused by the latest pointer event: time it until the next frame after a viewport redrew.
    const offChange = labels.document?.onChange(() => {
      if (lastPointer === null || state.pending !== null) return;
      state.pending = lastPointer;
      lastPointer = null;
    }) ?? (() => undefined);
    const onRendered = (): void => {
      const start = state.pending;
      if (start === null) return;
      state.pending = null;
      requestAnimationFrame(() => samples.push(performance.now() - start));
    };
    const mounts = [...document.querySelectorAll('[data-viewport-mount]')];
    window.addEventListener('mousemove', onPointer, true);
    window.addEventListener('mousedown', onPointer, true);
    for (const mount of mounts) mount.addEventListener(imageRendered, onRendered);
    const state = {
      samples,
      pending: null as number | null,
      stop: () => {
        window.removeEventListener('mousemove', onPointer, true);
        window.removeEventListener('mousedown', onPointer, true);
        for (const mount of mounts) mount.removeEventListener(imageRendered, onRendered);
        offChange();
      },
    };
    recording = state;
  }

  const hooks: MaclTestHooks = {
    labelSummary() {
      const document = labels.document;
      if (document == null) return null;
      const counts: Record<string, { strokes: number; accepted: number }> = {};
      for (const [label, count] of document.voxelCounts()) counts[String(label)] = { strokes: count.strokes, accepted: count.accepted };
      return { counts, strokesChecksum: fnv1a(document.strokes), acceptedChecksum: fnv1a(document.accepted) };
    },
    finalLabels() {
      const document = labels.document;
      if (document == null) return null;
      // `display` already composes strokes over accepted; only the background stroke (255) is not a label.
      const final = document.display.map((value) => (value === 255 ? 0 : value));
      return runsToBytes(runsFromLayer(final));
    },
    startLatency,
    loop: createLoopTestHooks(),
    stopLatency() {
      const samples = recording?.samples ?? [];
      recording?.stop();
      recording = null;
      return [...samples];
    },
  };
  window.__maclTest = hooks;
  return () => {
    hooks.loop.dispose();
    recording?.stop();
    recording = null;
    if (window.__maclTest === hooks) delete window.__maclTest;
  };
}
