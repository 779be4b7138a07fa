/**
 * The one tool group of the viewer: every viewport joins it when attached
 * and leaves it when detached, so crosshairs always link exactly the planes
 * on screen. Tools that need a volume are switched on once one is shown and
 * off before it is removed.
 */
import { ToolGroupManager } from '@cornerstonejs/tools';
import { planes, viewportIds } from '../stores/layout';
import { planeColors } from './planeColors';
import { viewerTools, type ViewerTool } from './toolBindings';

/** The tool group, as the viewer uses it. */
export interface ViewerToolGroup {
  addViewport(viewportId: string, renderingEngineId: string): void;
  removeViewport(viewportId: string, renderingEngineId: string): void;
  /** Switches the tools that need a shown volume (crosshairs) on or off. */
  setVolumeTools(on: boolean): void;
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
  let volumeToolsOn = false;
  return {
    addViewport: (viewportId, renderingEngineId) => group.addViewport(viewportId, renderingEngineId),
    removeViewport: (viewportId, renderingEngineId) => group.removeViewports(renderingEngineId, viewportId),
    setVolumeTools(on) {
      if (on === volumeToolsOn) return;
      volumeToolsOn = on;
      for (const tool of viewerTools) if (tool.needsVolume === true) apply(tool, on);
    },
    destroy: () => ToolGroupManager.destroyToolGroup(id),
  };
}
