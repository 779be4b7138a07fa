/**
 * What the viewer shows, as state the overlays and buttons read: which
 * series is open and how far it has loaded, each plane's slice, the window
 * and its preset. The viewer itself (cornerstone, WebGL) sits behind the
 * {@link Viewer} interface and is made by a factory, so tests run this store
 * with a fake; it lives in a shallowRef, and no voxel ever enters state.
 *
 * Lifecycle: start() on app mount creates the viewer, stop() on unmount
 * disposes it. Panes attach their elements whenever they mount (before or
 * after start); open() may also come first: the store remembers what is
 * wanted and hands it over when the viewer is ready.
 */
import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { SeriesGeometry, SeriesId, SeriesImages, SeriesSummary } from '../../src-main/shared/contract/series';
import { viewerSliceNumber, type ViewerSliceNumber } from '../../src-main/shared/sliceNumbering';
import { gridFromGeometry } from '../labels/labelGrid';
import { gridAxisOf, gridSliceOf } from '../viewer/sliceScope';
import { err, type Result } from '../../src-main/shared/result';
import { loadViewer, type ViewerFactory } from '../viewer/loadViewer';
import { clampBrushRadius, defaultBrushRadiusMm, type ThresholdRange } from '../viewer/brushSettings';
import type { PaintTool } from '../viewer/paintSession';
import { loadLabelDisplay, normalizeLabelDisplay, saveLabelDisplay, type LabelDisplaySettings } from '../viewer/labelDisplaySettings';
import type { LabelOverlay, LabelOverlayStyle, LoadProgress, PaintHandler, PlaneReadout, Unsubscribe, Viewer, ViewerEvent } from '../viewer/viewerApi';
import { scrollDelta, scrollStepFor } from '../viewer/scrollKeys';
import { sameWindow, type WindowLevel } from '../viewer/windowLevel';
import { presetsFor, type PresetId, type WindowPreset } from '../viewer/windowPresets';
import { useConnectionStore } from './connection';
import type { Plane } from './layout';

/** Whether the rendering engine is up. */
export type EngineState = 'idle' | 'starting' | 'ready' | 'failed';

/** Where the open series stands. */
export type OpenState = 'empty' | 'loading' | 'open' | 'failed';

/** The series being shown (or loaded). */
export interface OpenTarget {
  readonly seriesId: SeriesId;
  readonly modality: string;
  readonly label: string;
  /** The series' grid, which every slice number shown counts along. */
  readonly geometry: SeriesGeometry | null;
}

type PlaneReadouts = Readonly<Record<Plane, PlaneReadout | null>>;

const noReadouts = (): PlaneReadouts => ({ axial: null, sagittal: null, coronal: null });

export const useViewerStore = defineStore('viewer', () => {
  const connectionStore = useConnectionStore();
  // A service object, not state: never proxied.
  const viewer = shallowRef<Viewer | null>(null);
  const engineState = ref<EngineState>('idle');
  const engineError = ref<string | null>(null);
  const target = shallowRef<OpenTarget | null>(null);
  const openState = ref<OpenState>('empty');
  const openError = ref<string | null>(null);
  const progress = shallowRef<LoadProgress | null>(null);
  const readouts = shallowRef<PlaneReadouts>(noReadouts());
  const window = shallowRef<WindowLevel | null>(null);
  /**
   * The slice each plane shows, numbered as everywhere else (sliceNumbering.ts):
   * null while it shows none, `number` null when its centre lies outside the
   * series' grid (an oblique series lets the view scroll past its ends).
   */
  const sliceNumbers = computed<Readonly<Record<Plane, { number: number | null; count: number } | null>>>(() => {
    const geometry = target.value?.geometry ?? null;
    const numberOf = (readout: PlaneReadout | null): { number: number | null; count: number } | null => {
      // The viewer opens only series with geometry: without it, there is no readout either.
      if (readout === null || geometry === null) return null;
      const grid = gridFromGeometry(geometry);
      const slice = gridSliceOf(grid, readout);
      if (slice === null) return { number: null, count: geometry.dimensions[gridAxisOf(grid, readout)] };
      const shown: ViewerSliceNumber = viewerSliceNumber(geometry, slice.index, slice.axis);
      return { number: shown.number, count: shown.count };
    };
    return { axial: numberOf(readouts.value.axial), sagittal: numberOf(readouts.value.sagittal), coronal: numberOf(readouts.value.coronal) };
  });
  const preset = ref<PresetId | null>(null);
  /** How the label layers look (persisted), and why they could not be drawn, if so. */
  const labelDisplay = shallowRef<LabelDisplaySettings>(loadLabelDisplay());
  const labelsError = ref<string | null>(null);
  /** The painting tool ('navigate': the primary button sets the window), brush size and the threshold brush's HU range. */
  const paintTool = ref<PaintTool>('navigate');
  const brushRadiusMm = ref(defaultBrushRadiusMm);
  const thresholdHu = shallowRef<ThresholdRange>({ low: -100, high: 300 });
  /** Why the last press in a viewport painted nothing (shown by the painting toolbar), or null. */
  const paintNotice = ref<string | null>(null);
  // What was asked of the label overlay, handed to the viewer when it starts (or again after a restart).
  let wantedLabels: LabelOverlay | null = null;
  let wantedStyle: LabelOverlayStyle | null = null;
  let wantedPaint: PaintHandler | null = null;

  const mounts = new Map<Plane, { readonly element: HTMLDivElement; detach: Unsubscribe | null }>();
  let offEvents: Unsubscribe | null = null;
  let pendingUrls: readonly string[] | null = null;
  let presetWindow: WindowLevel | null = null;
  let windowTouched = false;

  const presets = computed<readonly WindowPreset[]>(() => (target.value === null ? [] : presetsFor(target.value.modality)));
  /** Percent of slices decoded into the volume (fetching counts as the first half). */
  const percentLoaded = computed<number | null>(() => {
    const current = progress.value;
    if (current === null) return null;
    if (current.phase === 'done') return 100;
    const share = current.total === 0 ? 0 : current.done / current.total;
    return Math.floor(current.phase === 'fetching' ? share * 50 : 50 + share * 50);
  });

  function resetView(): void {
    progress.value = null;
    readouts.value = noReadouts();
    window.value = null;
    preset.value = null;
    presetWindow = null;
    windowTouched = false;
  }

  /** MR (and anything without fixed units) opens in the histogram window once every slice is in. */
  function maybeAutoWindow(): void {
    const current = target.value;
    if (current === null || openState.value !== 'open' || progress.value?.phase !== 'done') return;
    if (windowTouched || preset.value !== null || current.modality.toUpperCase() === 'CT') return;
    applyPreset('auto');
  }

  function onEvent(event: ViewerEvent): void {
    const current = target.value;
    switch (event.kind) {
      case 'progress':
        if (current?.seriesId !== event.seriesId) return;
        progress.value = event.progress;
        maybeAutoWindow();
        return;
      case 'opened':
        if (current?.seriesId !== event.seriesId) return;
        openState.value = 'open';
        maybeAutoWindow();
        return;
      case 'failed':
        if (current?.seriesId !== event.seriesId) return;
        openState.value = 'failed';
        openError.value = event.message;
        return;
      case 'closed':
        return;
      case 'labels-failed':
        labelsError.value = event.message;
        return;
      case 'plane':
        readouts.value = { ...readouts.value, [event.plane]: event.readout };
        return;
      case 'window':
        window.value = event.window;
        // A drag moves the window off its preset; the preset's own echo does not.
        if (presetWindow === null || !sameWindow(presetWindow, event.window)) {
          if (openState.value === 'open') windowTouched = true;
          preset.value = null;
          presetWindow = null;
        }
        return;
    }
  }

  function attachMounted(to: Viewer): void {
    for (const [plane, mount] of mounts) {
      mount.detach ??= to.attach(plane, mount.element);
    }
  }

  async function openInViewer(to: Viewer, current: OpenTarget, urls: readonly string[]): Promise<void> {
    pendingUrls = null;
    try {
      await to.open({ seriesId: current.seriesId, modality: current.modality, imageUrls: urls });
    } catch (error) {
      // The viewer reported it as a 'failed' event; keep the message if it came another way.
      if (target.value === current && openState.value !== 'failed') {
        openState.value = 'failed';
        openError.value = error instanceof Error ? error.message : String(error);
      }
    }
  }

  /** Creates the viewer (once) and attaches the panes already mounted. */
  async function start(factory: ViewerFactory = loadViewer): Promise<void> {
    if (engineState.value === 'starting' || engineState.value === 'ready') return;
    engineState.value = 'starting';
    engineError.value = null;
    try {
      const created = await factory();
      if (engineState.value !== 'starting') {
        created.dispose(); // stop() came first.
        return;
      }
      viewer.value = created;
      offEvents = created.subscribe(onEvent);
      engineState.value = 'ready';
      attachMounted(created);
      if (wantedStyle !== null) created.setLabelStyle(wantedStyle);
      if (wantedLabels !== null) created.showLabels(wantedLabels);
      if (wantedPaint !== null) created.setPaintHandler(wantedPaint);
      const current = target.value;
      if (current !== null && pendingUrls !== null) await openInViewer(created, current, pendingUrls);
    } catch (error) {
      engineState.value = 'failed';
      engineError.value = `The image viewer could not start: ${error instanceof Error ? error.message : String(error)}`;
      if (openState.value === 'loading') {
        openState.value = 'failed';
        openError.value = engineError.value;
      }
    }
  }

  /** Exit: disposes the viewer (its engine, tools and cached pixels). */
  function stop(): void {
    offEvents?.();
    offEvents = null;
    for (const mount of mounts.values()) mount.detach = null;
    viewer.value?.dispose();
    viewer.value = null;
    engineState.value = 'idle';
  }

  /** Renders `plane` into `element` while mounted; returns the detach for unmount. */
  function attach(plane: Plane, element: HTMLDivElement): Unsubscribe {
    mounts.get(plane)?.detach?.();
    const mount: { readonly element: HTMLDivElement; detach: Unsubscribe | null } = { element, detach: null };
    mounts.set(plane, mount);
    if (viewer.value !== null) mount.detach = viewer.value.attach(plane, element);
    return () => {
      if (mounts.get(plane) !== mount) return;
      mounts.delete(plane);
      mount.detach?.();
      mount.detach = null;
    };
  }

  /** Opens an image series: asks the app for its slice URLs, then loads them into the viewer. */
  async function open(summary: SeriesSummary): Promise<void> {
    const current: OpenTarget = {
      seriesId: summary.seriesId,
      modality: summary.modality,
      label: [summary.patientName, summary.description].filter((part) => part.length > 0).join(' · '),
      geometry: summary.geometry,
    };
    target.value = current;
    openState.value = 'loading';
    openError.value = null;
    pendingUrls = null;
    resetView();
    if (summary.source === 'nifti') {
      // The image loader reads DICOM only; NIfTI needs its own volume loader (not installed).
      openState.value = 'failed';
      openError.value = 'NIfTI series are listed but cannot be shown in the viewer yet.';
      viewer.value?.close();
      return;
    }
    if (summary.kind !== 'image' || summary.geometry === null) {
      openState.value = 'failed';
      openError.value = `This series holds ${summary.kind === 'image' ? 'images without usable geometry' : `a ${summary.kind.replace('-', ' ')} object`}, not a volume to show.`;
      viewer.value?.close();
      return;
    }
    let images: Result<SeriesImages>;
    try {
      images = await connectionStore.requireConnection().call('series.images', { seriesId: summary.seriesId });
    } catch (error) {
      images = err('internal', error instanceof Error ? error.message : String(error));
    }
    if (target.value !== current) return;
    if (!images.ok) {
      openState.value = 'failed';
      openError.value = images.error.message;
      return;
    }
    pendingUrls = images.value.imageUrls;
    if (viewer.value !== null) await openInViewer(viewer.value, current, pendingUrls);
    else if (engineState.value === 'failed') {
      openState.value = 'failed';
      openError.value = engineError.value;
    }
  }

  /** Shows nothing again and frees the open series' pixels. */
  function close(): void {
    target.value = null;
    openState.value = 'empty';
    openError.value = null;
    pendingUrls = null;
    resetView();
    viewer.value?.close();
  }

  /** Applies a window preset to every plane; `auto` is computed from the loaded volume. */
  function applyPreset(id: PresetId): boolean {
    const chosen = presets.value.find((candidate) => candidate.id === id);
    const current = viewer.value;
    if (chosen === undefined || current === null || openState.value !== 'open') return false;
    const next = chosen.source.kind === 'fixed' ? chosen.source.window : current.percentileWindow(chosen.source.lower, chosen.source.upper);
    if (next === null) return false;
    presetWindow = next;
    preset.value = id;
    current.setWindow(next);
    return true;
  }

  /** Moves `plane` by `delta` slices. */
  function scroll(plane: Plane, delta: number): void {
    if (openState.value === 'open' || progress.value !== null) viewer.value?.scroll(plane, delta);
  }

  /** Handles a scroll key pressed over `plane`; false when the key is not one. */
  function scrollByKey(plane: Plane, key: string): boolean {
    const readout = readouts.value[plane];
    const step = scrollStepFor(key, readout?.sliceCount ?? 0);
    if (step === null) return false;
    if (readout !== null) scroll(plane, scrollDelta(step, readout.sliceIndex, readout.sliceCount));
    return true;
  }

  /** Draws the label layers of the open series (null removes them). */
  function showLabels(overlay: LabelOverlay | null): void {
    wantedLabels = overlay;
    labelsError.value = null;
    viewer.value?.showLabels(overlay);
  }

  /** Redraws the changed slices of a label layer (null: all of it). */
  function refreshLabels(layer: 'display' | 'prediction', kSlices: readonly number[] | null, planes?: readonly Plane[]): void {
    viewer.value?.refreshLabels(layer, kSlices, planes);
  }

  /** Colours, visibility and opacities of the label layers. */
  function setLabelStyle(style: LabelOverlayStyle): void {
    wantedStyle = style;
    viewer.value?.setLabelStyle(style);
  }

  /** Changes and stores how the label layers look. */
  function setLabelDisplay(change: Partial<LabelDisplaySettings>): void {
    labelDisplay.value = normalizeLabelDisplay(change, labelDisplay.value);
    saveLabelDisplay(labelDisplay.value);
  }

  function setPaintTool(tool: PaintTool): void {
    paintTool.value = tool;
    paintNotice.value = null;
  }

  function setPaintNotice(message: string | null): void {
    paintNotice.value = message;
  }

  /** Sets the brush radius (clamped to what the brush can paint). */
  function setBrushRadius(mm: number): void {
    brushRadiusMm.value = clampBrushRadius(mm);
    viewer.value?.redrawPaintCursor();
  }

  /** Sets the threshold brush's range; the bounds are swapped if given the wrong way round. */
  function setThreshold(low: number, high: number): void {
    if (!Number.isFinite(low) || !Number.isFinite(high)) return;
    thresholdHu.value = { low: Math.min(low, high), high: Math.max(low, high) };
  }

  /** Paint mode (the primary button paints through `handler`) or navigation (null). */
  function setPaintHandler(handler: PaintHandler | null): void {
    wantedPaint = handler;
    viewer.value?.setPaintHandler(handler);
  }

  onScopeDispose(stop);

  return {
    viewer, engineState, engineError, target, openState, openError, progress, readouts, sliceNumbers, window, preset,
    presets, percentLoaded, labelDisplay, labelsError, paintTool, brushRadiusMm, thresholdHu, paintNotice,
    start, stop, attach, open, close, applyPreset, scroll, scrollByKey,
    showLabels, refreshLabels, setLabelStyle, setLabelDisplay, setPaintHandler, setPaintTool, setPaintNotice, setBrushRadius, setThreshold,
  };
});
