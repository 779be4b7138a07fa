/**
 * The cornerstone implementation of {@link Viewer}: one rendering engine,
 * one tool group and one window synchroniser for the page's lifetime (enter
 * on creation, exit on dispose), viewports attached and detached as the
 * panes mount and unmount, and at most one open series volume shared by them.
 */
import { RenderingEngine, setVolumesForViewports, utilities as coreUtilities, type Types } from '@cornerstonejs/core';
import { SynchronizerManager, synchronizers } from '@cornerstonejs/tools';
import { viewportIds, type Plane } from '../stores/layout';
import { attachViewport, planeViewport } from './attachViewport';
import { createEmitter } from './createEmitter';
import { createToolGroup } from './createToolGroup';
import { percentileWindow } from './histogramWindow';
import { ensureCornerstone } from './initCornerstone';
import { keepZoomOnResize } from './keepZoomOnResize';
import { createLabelmapOverlay, type LabelmapOverlay } from './labelmapOverlay';
import { loadSeriesVolume, type SeriesVolume } from './loadSeriesVolume';
import { sampleVolume } from './sampleVolume';
import type { LabelOverlay, LabelOverlayStyle, OpenSeriesRequest, PlaneReadout, Viewer, ViewerEvent } from './viewerApi';
import { rangeOfWindow, type WindowLevel } from './windowLevel';

interface OpenSeries {
  readonly request: OpenSeriesRequest;
  readonly abort: AbortController;
  volume: SeriesVolume | null;
}

/** Cameras kept while a plane is off screen (1x1 layout), so it comes back where it was. */
type SavedCameras = Map<Plane, Types.ICamera>;

let instances = 0;

/** Starts cornerstone (once per page) and enters a new viewer. */
export async function createViewer(): Promise<Viewer> {
  await ensureCornerstone();
  const suffix = `${Date.now().toString(36)}-${++instances}`;
  const engine = new RenderingEngine(`macl-engine-${suffix}`);
  const toolGroup = createToolGroup(`macl-tools-${suffix}`);
  const windowSyncId = `macl-window-${suffix}`;
  const windowSync = synchronizers.createVOISynchronizer(windowSyncId, { syncInvertState: false, syncColormap: false });
  const events = createEmitter<ViewerEvent>();
  const resizes = keepZoomOnResize(engine);
  const detachers = new Map<Plane, () => void>();
  const savedCameras: SavedCameras = new Map();
  /** The series wanted last (loading or shown), and the one whose volume is on the viewports. */
  let open: OpenSeries | null = null;
  let shown: OpenSeries | null = null;
  let opening: Promise<void> = Promise.resolve();
  let window: WindowLevel | null = null;
  let disposed = false;
  /** The label layers wanted over the series, and the overlay drawing them on the shown volume. */
  let labels: LabelOverlay | null = null;
  let overlay: LabelmapOverlay | null = null;
  let labelStyle: LabelOverlayStyle = { segments: [], labelOpacity: 0.5, labelOutline: false, predictionOpacity: 0.2, predictionOutline: true, showPrediction: true };

  const context = {
    engine,
    toolGroup,
    windowSync,
    resizes,
    onPlane: (plane: Plane, readout: PlaneReadout) => events.emit({ kind: 'plane', plane, readout }),
    onWindow: (next: WindowLevel) => {
      window = next;
      events.emit({ kind: 'window', window: next });
    },
  };

  /** Shows the open volume in `planes`, restoring saved cameras and the current window. */
  async function showVolume(planes: readonly Plane[], volume: SeriesVolume): Promise<void> {
    if (planes.length === 0) return;
    // Setting a volume fires its default window, which reaches `window` (and, through the
    // synchroniser, the other planes): the window the user has must win over it.
    const kept = window;
    await setVolumesForViewports(engine, [{ volumeId: volume.volumeId }], planes.map((plane) => viewportIds[plane]));
    for (const plane of planes) {
      const viewport = planeViewport(engine, plane);
      if (viewport === null) continue;
      const camera = savedCameras.get(plane);
      if (camera !== undefined) viewport.setCamera(camera);
      if (kept !== null) viewport.setProperties({ voiRange: rangeOfWindow(kept) });
      viewport.render();
    }
    if (kept !== null && window !== kept) viewer.setWindow(kept);
  }

  function releaseOverlay(): void {
    const current = overlay;
    overlay = null;
    current?.release();
  }

  /**
   * Draws the wanted labels over the shown volume once both are there and
   * belong to the same series; a viewport gets them after it shows the volume
   * (setting the volume replaces every actor on it).
   */
  function syncOverlay(): void {
    const volume = shown?.volume;
    if (labels === null || volume == null || shown?.request.seriesId !== labels.seriesId) {
      releaseOverlay();
      return;
    }
    if (overlay !== null) return;
    try {
      overlay = createLabelmapOverlay(volume.volume, labels, labelStyle);
    } catch (error) {
      events.emit({ kind: 'labels-failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    for (const plane of detachers.keys()) overlay.addViewport(viewportIds[plane]);
  }

  /** Takes the shown volume off every viewport, then frees it: nothing may render a removed volume. */
  function unshow(): void {
    const current = shown;
    if (current === null) return;
    releaseOverlay();
    shown = null;
    toolGroup.setVolumeTools(false);
    for (const plane of detachers.keys()) planeViewport(engine, plane)?.removeAllActors();
    engine.render();
    current.volume?.release();
    window = null;
    savedCameras.clear();
  }

  /**
   * Runs `step` after every earlier open/close has finished with the
   * viewports: a volume is never freed while cornerstone is still putting
   * it on a viewport.
   */
  function queue(step: () => Promise<void>): Promise<void> {
    const run = opening.then(step);
    opening = run.catch(() => undefined);
    return run;
  }

  const viewer: Viewer = {
    attach(plane, element) {
      if (disposed) throw new Error('The viewer was disposed.');
      detachers.get(plane)?.();
      const detach = attachViewport(context, plane, element);
      const volume = shown?.volume;
      if (volume != null) {
        void showVolume([plane], volume).then(() => {
          if (detachers.get(plane) === exit && shown?.volume === volume) overlay?.addViewport(viewportIds[plane]);
        });
      }
      const exit = (): void => {
        if (detachers.get(plane) !== exit) return;
        overlay?.removeViewport(viewportIds[plane]);
        detachers.delete(plane);
        const viewport = planeViewport(engine, plane);
        if (viewport !== null && shown !== null) savedCameras.set(plane, viewport.getCamera());
        detach();
      };
      detachers.set(plane, exit);
      return exit;
    },

    open(request) {
      if (disposed) return Promise.reject(new Error('The viewer was disposed.'));
      const current: OpenSeries = { request, abort: new AbortController(), volume: null };
      open?.abort.abort(); // The series being loaded is no longer wanted: stop its fetches now.
      open = current;
      const { seriesId } = request;
      return queue(async () => {
        if (open !== current) return;
        unshow();
        try {
          const volume = await loadSeriesVolume(
            seriesId,
            request.imageUrls,
            document.baseURI,
            (progress) => {
              if (open === current) events.emit({ kind: 'progress', seriesId, progress });
            },
            current.abort.signal,
          );
          current.volume = volume;
          shown = current;
          if (open !== current) return; // The next open unshows it.
          await showVolume([...detachers.keys()], volume);
          if (open !== current) return;
          toolGroup.setVolumeTools(true);
          syncOverlay();
          events.emit({ kind: 'opened', seriesId });
        } catch (error) {
          if (open !== current) return;
          open = null;
          unshow();
          const message = error instanceof Error ? error.message : String(error);
          events.emit({ kind: 'failed', seriesId, message });
          throw error;
        }
      });
    },

    close() {
      open?.abort.abort();
      open = null;
      void queue(async () => {
        if (open === null) unshow();
      });
      events.emit({ kind: 'closed' });
    },

    setWindow(next) {
      window = next;
      for (const plane of detachers.keys()) {
        const viewport = planeViewport(engine, plane);
        if (viewport === null) continue;
        viewport.setProperties({ voiRange: rangeOfWindow(next) });
        viewport.render();
      }
      events.emit({ kind: 'window', window: next });
    },

    percentileWindow(lower, upper) {
      const volume = shown?.volume;
      return volume == null ? null : percentileWindow(sampleVolume(volume.volume), lower, upper);
    },

    scroll(plane, delta) {
      if (delta === 0 || !detachers.has(plane)) return;
      coreUtilities.scroll(engine.getViewport<Types.IViewport>(viewportIds[plane]), { delta });
    },

    showLabels(next) {
      if (next !== labels) releaseOverlay();
      labels = next;
      syncOverlay();
    },

    refreshLabels(layer, kSlices, planes) {
      overlay?.refresh(layer, kSlices, planes?.filter((plane) => detachers.has(plane)).map((plane) => viewportIds[plane]));
    },

    setLabelStyle(style) {
      labelStyle = style;
      overlay?.setStyle(style);
    },

    setPaintHandler(handler) {
      toolGroup.setPaintHandler(handler);
    },

    redrawPaintCursor() {
      toolGroup.redrawPaintCursor();
    },

    intensitySampler() {
      const manager = shown?.volume?.volume.voxelManager;
      return manager == null ? null : (index) => Number(manager.getAtIndex(index));
    },

    subscribe: (listener) => events.subscribe(listener),

    dispose() {
      if (disposed) return;
      disposed = true;
      open?.abort.abort();
      open = null;
      unshow();
      for (const detach of [...detachers.values()]) detach();
      resizes.disconnect();
      SynchronizerManager.destroySynchronizer(windowSyncId);
      toolGroup.destroy();
      engine.destroy();
      events.clear();
    },
  };
  return viewer;
}
