/**
 * The one tool group of the viewer: every viewport joins it when attached
 * and leaves it when detached, so crosshairs always link exactly the planes
 * on screen. Tools that need a volume are switched on once one is shown and
 * off before it is removed.
 */
import { Enums as ToolEnums, ToolGroupManager, WindowLevelTool } from '@cornerstonejs/tools';
import { PlaneCrosshairsTool as CrosshairsTool } from './planeCrosshairsTool';
import { planes, viewportIds } from '../stores/layout';
import { PaintPointerTool, setPaintHandler } from './paintPointerTool';
import { planeColors } from './planeColors';
import { viewerTools, type ViewerTool } from './toolBindings';
import type { PaintHandler } from './viewerApi';

/** The tool group, as the viewer uses it. */
export interface ViewerToolGroup {
  addViewport(viewportId: string, renderingEngineId: string): void;
  removeViewport(viewportId: string, renderingEngineId: string): void;
  /** Switches the tools that need a shown volume (crosshairs) on or off. */
  setVolumeTools(on: boolean): void;
  /**
   * Paint mode (a handler) or navigation (null): while painting, the primary
   * button paints instead of setting the window, and the crosshairs are drawn
   * but cannot be grabbed (a stroke across them must not move the planes).
   */
  setPaintHandler(handler: PaintHandler | null): void;
  /** Redraws the brush circle (its radius changed). */
  redrawPaintCursor(): void;
  /** Removes the tool group (exit). */
  destroy(): void;
}

/** The crosshair line of a viewport takes its plane's colour, as does the viewport's border (see ViewportPane). */
function referenceLineColor(viewportId: string): string {
  const plane = planes.find((candidate) => viewportIds[candidate] === viewportId);
  return plane === undefined ? 'rgb(200, 200, 200)' : planeColors[plane];
}

/** Creates the tool group `id` with the viewer's tools and bindings. */
export function createToolGroup(id: string): ViewerToolGroup {
  const group = ToolGroupManager.createToolGroup(id);
  if (group === undefined) throw new Error(`A tool group named ${id} already exists.`);
  const apply = (tool: ViewerTool, on: boolean): void => {
    const name = tool.toolClass.toolName;
    if (!on) group.setToolDisabled(name);
    else if (tool.mode === 'active') group.setToolActive(name, { bindings: [...tool.bindings] });
    else group.setToolPassive(name);
  };
  for (const tool of viewerTools) {
    group.addTool(tool.toolClass.toolName, { getReferenceLineColor: referenceLineColor });
    apply(tool, tool.needsVolume !== true);
  }
  group.addTool(PaintPointerTool.toolName);
  group.setToolPassive(PaintPointerTool.toolName);
  let volumeToolsOn = false;
  let painting = false;
  const applyCrosshairs = (): void => {
    if (!volumeToolsOn) group.setToolDisabled(CrosshairsTool.toolName);
    else if (painting) group.setToolEnabled(CrosshairsTool.toolName);
    else group.setToolPassive(CrosshairsTool.toolName);
  };
  return {
    addViewport: (viewportId, renderingEngineId) => group.addViewport(viewportId, renderingEngineId),
    removeViewport: (viewportId, renderingEngineId) => group.removeViewports(renderingEngineId, viewportId),
    setVolumeTools(on) {
      if (on === volumeToolsOn) return;
      volumeToolsOn = on;
      for (const tool of viewerTools) if (tool.needsVolume === true) apply(tool, on);
      applyCrosshairs();
    },
    setPaintHandler(handler) {
      setPaintHandler(id, handler);
      const next = handler !== null;
      if (next === painting) return;
      painting = next;
      const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
      if (painting) {
        group.setToolPassive(WindowLevelTool.toolName);
        group.setToolActive(PaintPointerTool.toolName, { bindings: primary });
      } else {
        group.setToolPassive(PaintPointerTool.toolName);
        group.setToolActive(WindowLevelTool.toolName, { bindings: primary });
      }
      applyCrosshairs();
    },
    redrawPaintCursor() {
      (group.getToolInstance(PaintPointerTool.toolName) as PaintPointerTool | undefined)?.redrawCursor();
    },
    destroy: () => {
      setPaintHandler(id, null);
      ToolGroupManager.destroyToolGroup(id);
    },
  };
}
