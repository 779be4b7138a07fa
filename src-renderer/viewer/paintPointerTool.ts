/**
 * The cornerstone tool behind painting: while bound to the primary button
 * it turns presses and drags in a viewport into world points on the view
 * plane (canvasToWorld) with the plane's normal, and hands them to the
 * {@link PaintHandler} of its tool group. It writes no voxel itself: the
 * label model does (undo, layers and saving stay ours). It also draws the
 * brush circle, at the brush's size in mm, under the pointer.
 */
import { getEnabledElement, type Types } from '@cornerstonejs/core';
import { BaseTool, drawing, Enums as ToolEnums, utilities as toolUtilities, type Types as ToolTypes } from '@cornerstonejs/tools';
import { planes, viewportIds, type Plane } from '../stores/layout';
import type { PaintHandler, PaintPointer, WorldVector } from './viewerApi';

const { Events } = ToolEnums;

/** The handler of each tool group (set by the viewer while a paint tool is chosen). */
const handlers = new Map<string, PaintHandler>();

/** Routes the paint tool of `toolGroupId` to `handler` (null: none). */
export function setPaintHandler(toolGroupId: string, handler: PaintHandler | null): void {
  if (handler === null) handlers.delete(toolGroupId);
  else handlers.set(toolGroupId, handler);
}

interface Hover {
  readonly viewportId: string;
  readonly canvas: Types.Point2;
  readonly world: Types.Point3;
}

/** What the paint tool reads of cornerstone's mouse events (down, drag and move alike). */
interface MouseEventDetail {
  readonly element: HTMLDivElement;
  readonly currentPoints: { readonly canvas: Types.Point2 };
  readonly event?: unknown;
}

const planeOfViewport = (viewportId: string): Plane | undefined => planes.find((plane) => viewportIds[plane] === viewportId);
const vector = (value: Types.Point3): WorldVector => [value[0], value[1], value[2]];

export class PaintPointerTool extends BaseTool {
  static override toolName = 'MaclPaint';
  private hover: Hover | null = null;
  private strokeElement: HTMLDivElement | null = null;

  constructor(toolProps: ToolTypes.PublicToolProps = {}, defaultToolProps: ToolTypes.ToolProps = { supportedInteractionTypes: ['Mouse'] }) {
    super(toolProps, defaultToolProps);
  }

  private handler(): PaintHandler | undefined {
    return handlers.get(this.toolGroupId);
  }

  /** The pointer of a cornerstone mouse event, or null outside a viewport showing a plane. */
  private pointer(detail: MouseEventDetail): PaintPointer | null {
    const enabled = getEnabledElement(detail.element);
    const plane = enabled === undefined ? undefined : planeOfViewport(enabled.viewport.id);
    if (enabled === undefined || plane === undefined) return null;
    const { viewport } = enabled;
    const world = viewport.canvasToWorld(detail.currentPoints.canvas);
    const normal = viewport.getCamera().viewPlaneNormal;
    if (normal === undefined) return null;
    this.hover = { viewportId: viewport.id, canvas: detail.currentPoints.canvas, world };
    return { plane, pointMm: vector(world), planeNormal: vector(normal), timeStamp: detail.event instanceof Event ? detail.event.timeStamp : performance.now() };
  }

  private redraw(viewportId: string): void {
    toolUtilities.triggerAnnotationRenderForViewportIds([viewportId]);
  }

  preMouseDownCallback = (evt: ToolTypes.EventTypes.MouseDownActivateEventType): boolean => {
    const handler = this.handler();
    const pointer = handler === undefined ? null : this.pointer(evt.detail);
    if (handler === undefined || pointer === null) return false;
    this.strokeElement = evt.detail.element;
    this.strokeElement.addEventListener(Events.MOUSE_DRAG, this.onDrag);
    this.strokeElement.addEventListener(Events.MOUSE_UP, this.onEnd);
    this.strokeElement.addEventListener(Events.MOUSE_CLICK, this.onEnd);
    evt.preventDefault();
    handler.press(pointer);
    this.redraw(viewportIds[pointer.plane]);
    return true;
  };

  private readonly onDrag = (event: Event): void => {
    const pointer = this.pointer((event as ToolTypes.EventTypes.MouseDragEventType).detail);
    if (pointer === null) return;
    this.handler()?.drag(pointer);
    this.redraw(viewportIds[pointer.plane]);
  };

  private readonly onEnd = (): void => {
    const element = this.strokeElement;
    this.strokeElement = null;
    element?.removeEventListener(Events.MOUSE_DRAG, this.onDrag);
    element?.removeEventListener(Events.MOUSE_UP, this.onEnd);
    element?.removeEventListener(Events.MOUSE_CLICK, this.onEnd);
    this.handler()?.release();
  };

  mouseMoveCallback = (evt: ToolTypes.EventTypes.MouseMoveEventType): boolean => {
    const previous = this.hover?.viewportId;
    if (this.pointer(evt.detail) === null) return false;
    if (previous !== undefined && previous !== this.hover?.viewportId) this.redraw(previous);
    if (this.hover !== null) this.redraw(this.hover.viewportId);
    return false;
  };

  /** Redraws the cursor where it is (after the radius changed). */
  redrawCursor(): void {
    if (this.hover !== null) this.redraw(this.hover.viewportId);
  }

  renderAnnotation = (enabledElement: Types.IEnabledElement, svgDrawingHelper: ToolTypes.SVGDrawingHelper): boolean => {
    const hover = this.hover;
    const radiusMm = this.handler()?.cursorRadiusMm() ?? 0;
    const { viewport } = enabledElement;
    if (hover === null || hover.viewportId !== viewport.id || !(radiusMm > 0)) return false;
    // The circle's radius in pixels: the distance on screen of a point radiusMm away along the view's up vector.
    const up = viewport.getCamera().viewUp ?? [0, 1, 0];
    const center = viewport.worldToCanvas(hover.world);
    const edge = viewport.worldToCanvas([hover.world[0] + up[0] * radiusMm, hover.world[1] + up[1] * radiusMm, hover.world[2] + up[2] * radiusMm]);
    const radiusPx = Math.hypot(edge[0] - center[0], edge[1] - center[1]);
    drawing.drawCircle(svgDrawingHelper, 'macl-paint-cursor', 'circle', center, radiusPx, { color: 'rgb(255, 255, 255)', lineWidth: 1, lineDash: '3,2' });
    return true;
  };
}
