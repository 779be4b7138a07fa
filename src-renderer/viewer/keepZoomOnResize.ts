/**
 * Resizes the rendering engine when any viewport's element changes size (the
 * 1x3 <-> 1x1 layout, the window, a side panel), keeping each viewport's
 * slice, pan and *relative* zoom: an image that filled its pane before fills
 * the bigger pane after, as a radiologist expects when maximising a view.
 * One observer for all viewports, because one engine resize resizes them all.
 */
import { BaseVolumeViewport, type RenderingEngine } from '@cornerstonejs/core';
import type { Unsubscribe } from './viewerApi';

/** Watches viewport elements for the engine; `observe` returns the unobserve. */
export interface ResizeWatcher {
  observe(element: HTMLDivElement): Unsubscribe;
  disconnect(): void;
}

export function keepZoomOnResize(engine: RenderingEngine): ResizeWatcher {
  const observer = new ResizeObserver(() => {
    const viewports = engine.getViewports().filter((viewport) => viewport instanceof BaseVolumeViewport);
    // Zoom relative to the fit-to-pane camera, read before the engine refits it for the new size.
    const zooms = viewports.map((viewport) => viewport.getZoom());
    engine.resize(true, true);
    viewports.forEach((viewport, index) => {
      const zoom = zooms[index];
      if (zoom !== undefined && Number.isFinite(zoom) && zoom > 0) viewport.setZoom(zoom);
      viewport.render();
    });
  });
  return {
    observe(element) {
      observer.observe(element);
      return () => observer.unobserve(element);
    },
    disconnect: () => observer.disconnect(),
  };
}
