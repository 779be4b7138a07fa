/**
 * A Viewer without cornerstone: records what the stores ask of it and lets
 * a test play the events the real one would send (progress, opened, plane
 * readouts, window changes).
 */
import type { Plane } from '../../../src-renderer/stores/layout';
import type { LabelOverlay, LabelOverlayStyle, OpenSeriesRequest, PaintHandler, PlaneReadout, Viewer, ViewerEvent } from '../../../src-renderer/viewer/viewerApi';
import type { WindowLevel } from '../../../src-renderer/viewer/windowLevel';

export interface FakeViewer extends Viewer {
  readonly attached: Map<Plane, HTMLDivElement>;
  readonly opened: OpenSeriesRequest[];
  readonly windows: WindowLevel[];
  readonly scrolls: Array<{ plane: Plane; delta: number }>;
  readonly percentileCalls: Array<{ lower: number; upper: number }>;
  /** The overlay shown last (null: none), every refresh and style, and the paint handler set. */
  labels: LabelOverlay | null;
  readonly refreshes: Array<{ layer: 'display' | 'prediction'; kSlices: readonly number[] | null }>;
  readonly styles: LabelOverlayStyle[];
  paintHandler: PaintHandler | null;
  cursorRedraws: number;
  /** What intensitySampler answers. */
  intensity: ((flatIndex: number) => number) | null;
  closes: number;
  disposed: boolean;
  /** What percentileWindow answers. */
  histogram: WindowLevel | null;
  /** Makes the next open() reject with this message (after reporting it as a `failed` event). */
  failNextOpen: string | null;
  play(event: ViewerEvent): void;
  listenerCount(): number;
}

/** A readout as the real viewer reports it for a 20-slice axial series. */
export function makeReadout(overrides: Partial<PlaneReadout> = {}): PlaneReadout {
  return { sliceIndex: 9, sliceCount: 20, positionMm: 12.5, labels: { top: 'A', bottom: 'P', left: 'R', right: 'L' }, focalPointMm: [0, 0, 12.5], normal: [0, 0, 1], ...overrides };
}

export function createFakeViewer(): FakeViewer {
  const listeners = new Set<(event: ViewerEvent) => void>();
  const play = (event: ViewerEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };
  const fake: FakeViewer = {
    attached: new Map(),
    opened: [],
    windows: [],
    scrolls: [],
    percentileCalls: [],
    labels: null,
    refreshes: [],
    styles: [],
    paintHandler: null,
    cursorRedraws: 0,
    intensity: null,
    closes: 0,
    disposed: false,
    histogram: { width: 700, center: 350 },
    failNextOpen: null,
    attach(plane, element) {
      fake.attached.set(plane, element);
      return () => {
        if (fake.attached.get(plane) === element) fake.attached.delete(plane);
      };
    },
    open(request) {
      fake.opened.push(request);
      const failure = fake.failNextOpen;
      fake.failNextOpen = null;
      if (failure !== null) {
        play({ kind: 'failed', seriesId: request.seriesId, message: failure });
        return Promise.reject(new Error(failure));
      }
      return Promise.resolve();
    },
    close() {
      fake.closes++;
    },
    setWindow(window) {
      fake.windows.push(window);
      play({ kind: 'window', window });
    },
    percentileWindow(lower, upper) {
      fake.percentileCalls.push({ lower, upper });
      return fake.histogram;
    },
    scroll(plane, delta) {
      fake.scrolls.push({ plane, delta });
    },
    showLabels(overlay) {
      fake.labels = overlay;
    },
    refreshLabels(layer, kSlices) {
      fake.refreshes.push({ layer, kSlices });
    },
    setLabelStyle(style) {
      fake.styles.push(style);
    },
    setPaintHandler(handler) {
      fake.paintHandler = handler;
    },
    redrawPaintCursor() {
      fake.cursorRedraws++;
    },
    intensitySampler() {
      return fake.intensity;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      fake.disposed = true;
    },
    play,
    listenerCount: () => listeners.size,
  };
  return fake;
}
