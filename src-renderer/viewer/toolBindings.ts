/**
 * The viewer's mouse tools and their bindings, in one table: left drag
 * window/level (the default), right drag zoom, middle drag pan, wheel
 * scrolls slices, Ctrl+wheel zooms; crosshairs link the three planes while
 * a series is shown (drag a line to move the other planes; passive so that
 * left drag elsewhere stays window/level).
 */
import {
  type addTool,
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { PlaneCrosshairsTool } from './planeCrosshairsTool';

const { MouseBindings, KeyboardBindings } = ToolEnums;

/** A tool class as cornerstone registers it. */
type ToolClass = Parameters<typeof addTool>[0];

/** One tool of the viewer's tool group. */
export interface ViewerTool {
  readonly toolClass: ToolClass & { readonly toolName: string };
  /** Active tools answer their bindings; a passive tool draws and can be dragged by its handles. */
  readonly mode: 'active' | 'passive';
  readonly bindings: readonly ToolTypes.IToolBinding[];
  /**
   * Only on while a volume is shown: crosshairs keep annotations tied to the
   * volume, which throw on every render once it is removed from the cache.
   */
  readonly needsVolume?: boolean;
}

/** Every tool, with its bindings (the shortcuts dialog documents the same). */
export const viewerTools: readonly ViewerTool[] = [
  { toolClass: WindowLevelTool, mode: 'active', bindings: [{ mouseButton: MouseBindings.Primary }] },
  { toolClass: ZoomTool, mode: 'active', bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel, modifierKey: KeyboardBindings.Ctrl }] },
  { toolClass: PanTool, mode: 'active', bindings: [{ mouseButton: MouseBindings.Auxiliary }] },
  { toolClass: StackScrollTool, mode: 'active', bindings: [{ mouseButton: MouseBindings.Wheel }] },
  { toolClass: PlaneCrosshairsTool, mode: 'passive', bindings: [], needsVolume: true },
];
