/**
 * Turns pointer presses and drags in the viewports into label edits: one
 * press..release is one stroke of the label document (one undo step), a
 * press with the fill tool fills the closed contour under it. Plain TS over
 * a narrow view of the document (the label model's LabelDocument fits it),
 * so it is tested without WebGL or Vue.
 */
import { intensityView } from './intensityView';
import type { PaintHandler, PaintPointer, WorldVector } from './viewerApi';

/** The tools of the painting toolbar; 'navigate' leaves the primary button to window/level. */
export const paintTools = ['navigate', 'brush', 'threshold', 'eraser', 'background', 'fill'] as const;
export type PaintTool = (typeof paintTools)[number];

/** Tools that paint with the round brush (and show its circle). */
export function usesBrush(tool: PaintTool): boolean {
  return tool === 'brush' || tool === 'threshold' || tool === 'eraser' || tool === 'background';
}

/** What the document needs to start a stroke (the label model's StrokeOptions). */
export interface StrokeStart {
  readonly tool: 'brush' | 'eraser' | 'background';
  readonly label: number;
  readonly radiusMm: number;
  readonly planeNormal: WorldVector;
  readonly threshold?: { readonly low: number; readonly high: number; readonly intensity: ArrayLike<number> };
  readonly lockedLabels: ReadonlySet<number>;
}

/** The part of the label document painting uses. */
export interface PaintableDocument {
  beginStroke(options: StrokeStart): void;
  strokeTo(pointMm: WorldVector): unknown;
  endStroke(): unknown;
  fillContour(pointMm: WorldVector, planeNormal: WorldVector, label: number, lockedLabels: ReadonlySet<number>): unknown;
}

/** What the session reads at each press: the current document, tool and settings. */
export interface PaintContext {
  document(): PaintableDocument | null;
  tool(): PaintTool;
  radiusMm(): number;
  /** The active segment's label and whether it is locked, or null when none is active. */
  activeSegment(): { readonly label: number; readonly name: string; readonly locked: boolean } | null;
  lockedLabels(): ReadonlySet<number>;
  /** The HU range of the threshold brush. */
  threshold(): { readonly low: number; readonly high: number };
  /** Reads the volume's intensity at a flat index; null while no volume is shown. */
  intensityAt(): ((flatIndex: number) => number) | null;
  /** Voxels in the label grid. */
  voxelCount(): number;
  /** Tells the user why a press did nothing (or null to clear the message). */
  notify(message: string | null): void;
}

/** The handler the viewer calls while a paint tool is active. */
export function createPaintSession(context: PaintContext): PaintHandler {
  let stroking: PaintableDocument | null = null;

  function strokeOptions(tool: PaintTool, pointer: PaintPointer): StrokeStart | string {
    const locked = context.lockedLabels();
    const base = { radiusMm: context.radiusMm(), planeNormal: pointer.planeNormal, lockedLabels: locked };
    if (tool === 'eraser') return { ...base, tool: 'eraser', label: 0 };
    if (tool === 'background') return { ...base, tool: 'background', label: 255 };
    const segment = context.activeSegment();
    if (segment === null) return 'Add a segment (or choose one) before painting.';
    if (segment.locked) return `${segment.name} is locked: unlock it to paint.`;
    if (tool === 'brush') return { ...base, tool: 'brush', label: segment.label };
    const intensityAt = context.intensityAt();
    if (intensityAt === null) return 'The threshold brush needs the series loaded.';
    const { low, high } = context.threshold();
    return { ...base, tool: 'brush', label: segment.label, threshold: { low, high, intensity: intensityView(intensityAt, context.voxelCount()) } };
  }

  function fill(document: PaintableDocument, pointer: PaintPointer): void {
    const segment = context.activeSegment();
    if (segment === null) {
      context.notify('Choose the segment whose contour to fill.');
      return;
    }
    if (segment.locked) {
      context.notify(`${segment.name} is locked: unlock it to fill.`);
      return;
    }
    try {
      const change = document.fillContour(pointer.pointMm, pointer.planeNormal, segment.label, context.lockedLabels());
      context.notify(change === null ? `Nothing to fill there: click inside a closed ${segment.name} contour.` : null);
    } catch (error) {
      context.notify(error instanceof Error ? error.message : String(error));
    }
  }

  return {
    cursorRadiusMm: () => (usesBrush(context.tool()) ? context.radiusMm() : 0),

    press(pointer) {
      const document = context.document();
      const tool = context.tool();
      if (document === null || tool === 'navigate') return;
      if (tool === 'fill') {
        fill(document, pointer);
        return;
      }
      const options = strokeOptions(tool, pointer);
      if (typeof options === 'string') {
        context.notify(options);
        return;
      }
      context.notify(null);
      try {
        document.beginStroke(options);
        stroking = document;
        document.strokeTo(pointer.pointMm);
      } catch (error) {
        // The document refused the stroke (a locked or unknown label, an empty range): say why.
        context.notify(error instanceof Error ? error.message : String(error));
        if (stroking !== null) {
          stroking = null;
          document.endStroke();
        }
      }
    },

    drag(pointer) {
      // A document replaced mid-stroke (reload) gets nothing of the old stroke.
      if (stroking !== null && stroking === context.document()) stroking.strokeTo(pointer.pointMm);
    },

    release() {
      const document = stroking;
      stroking = null;
      document?.endStroke();
    },
  };
}
