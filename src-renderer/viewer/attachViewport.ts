/**
 * Enter/exit of one viewport: enables an orthographic volume viewport on the
 * pane's element, joins the tool group and the window synchroniser, follows
 * its camera and window, and keeps its canvas sized to the pane. The
 * returned function undoes all of it.
 */
import { Enums, type RenderingEngine, type Types } from '@cornerstonejs/core';
import type { Synchronizer } from '@cornerstonejs/tools';
import { viewportIds, type Plane } from '../stores/layout';
import type { ViewerToolGroup } from './createToolGroup';
import type { ResizeWatcher } from './keepZoomOnResize';
import { listen } from './listen';
import { planeOrientation } from './planeOrientation';
import { readPlane, readWindow } from './readViewport';
import type { PlaneReadout, Unsubscribe } from './viewerApi';
import type { WindowLevel } from './windowLevel';

/** What a viewport needs from the viewer around it. */
export interface ViewportContext {
  readonly engine: RenderingEngine;
  readonly toolGroup: ViewerToolGroup;
  readonly windowSync: Synchronizer;
  readonly resizes: ResizeWatcher;
  onPlane(plane: Plane, readout: PlaneReadout): void;
  onWindow(window: WindowLevel): void;
}

/** The volume viewport of `plane` in `engine`, or null when it is not enabled. */
export function planeViewport(engine: RenderingEngine, plane: Plane): Types.IVolumeViewport | null {
  return (engine.getViewport(viewportIds[plane]) as Types.IVolumeViewport | undefined) ?? null;
}

/** Enables `plane` on `element`; returns its exit. */
export function attachViewport(context: ViewportContext, plane: Plane, element: HTMLDivElement): Unsubscribe {
  const { engine, toolGroup, windowSync } = context;
  const viewportId = viewportIds[plane];
  const ids = { renderingEngineId: engine.id, viewportId };
  engine.enableElement({
    viewportId,
    type: Enums.ViewportType.ORTHOGRAPHIC,
    element,
    defaultOptions: { orientation: planeOrientation[plane], background: [0, 0, 0] },
  });
  // Cornerstone makes the element focusable, and its key listener there cancels every key,
  // which would swallow the workstation shortcuts after a click in a viewport. The pane
  // around it takes the focus and handles the scroll keys instead (ViewportPane).
  element.removeAttribute('tabindex');
  toolGroup.addViewport(viewportId, engine.id);
  windowSync.add(ids);

  const report = (): void => {
    const viewport = planeViewport(engine, plane);
    const readout = viewport === null ? null : readPlane(viewport);
    if (readout !== null) context.onPlane(plane, readout);
  };
  const offs: Unsubscribe[] = [
    listen(element, Enums.Events.CAMERA_MODIFIED, report),
    listen(element, Enums.Events.VOLUME_NEW_IMAGE, report),
    listen<Types.EventTypes.VoiModifiedEventDetail>(element, Enums.Events.VOI_MODIFIED, () => {
      const viewport = planeViewport(engine, plane);
      const window = viewport === null ? null : readWindow(viewport);
      if (window !== null) context.onWindow(window);
    }),
  ];
  offs.push(context.resizes.observe(element));

  return () => {
    for (const off of offs) off();
    windowSync.remove(ids);
    toolGroup.removeViewport(viewportId, engine.id);
    engine.disableElement(viewportId);
  };
}
