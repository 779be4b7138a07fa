/**
 * Connects the label model to the viewer for as long as the workstation is
 * mounted: the open series' label document is drawn over its volume (the
 * changed slices redrawn after every edit, undo and redo included), the
 * segments' colours and visibility and the display settings style it, and
 * while a paint tool is chosen the primary button paints into it.
 */
import { onScopeDispose, watch } from 'vue';
import { useLabelsStore } from '../stores/labels';
import { useSegmentsStore } from '../stores/segments';
import { useViewerStore } from '../stores/viewer';
import { createPaintSession } from '../viewer/paintSession';
import { planesShowingChange } from '../viewer/planesShowingChange';
import { slicesToRefresh } from '../viewer/refreshSlices';
import type { LabelOverlayStyle } from '../viewer/viewerApi';

/** Wires labels, segments and viewer together; undone when the calling scope ends. */
export function usePainting(): void {
  const viewer = useViewerStore();
  const labels = useLabelsStore();
  const segments = useSegmentsStore();
  let offChange: (() => void) | null = null;

  watch(
    () => [labels.document, labels.seriesId, viewer.target?.seriesId] as const,
    ([document, labelsSeries, shownSeries]) => {
      offChange?.();
      offChange = null;
      if (document == null || shownSeries === undefined || labelsSeries !== shownSeries) {
        viewer.showLabels(null);
        return;
      }
      const sliceCount = document.grid.dimensions[2];
      viewer.showLabels({ seriesId: shownSeries, dimensions: document.grid.dimensions, display: document.display, prediction: document.prediction });
      offChange = document.onChange((change) => {
        if (change.kSlices.length > 0 && change.predictionChanged !== true) {
          // Only the planes whose shown slice holds a changed voxel redraw (planesShowingChange.ts).
          const planes = planesShowingChange(document.grid, change.changed, viewer.readouts);
          viewer.refreshLabels('display', slicesToRefresh(change.kSlices, sliceCount), planes ?? undefined);
        }
        // Streamed predictions name their slices: redraw those only (an empty list means the whole volume changed).
        if (change.predictionChanged === true) viewer.refreshLabels('prediction', change.kSlices.length > 0 ? slicesToRefresh(change.kSlices, sliceCount) : null);
      });
    },
    { immediate: true },
  );

  watch(
    () => [viewer.labelDisplay, segments.segments] as const,
    ([display, list]) => {
      const style: LabelOverlayStyle = { ...display, segments: list.map(({ label, color, visible }) => ({ label, color, visible })) };
      viewer.setLabelStyle(style);
    },
    { immediate: true, deep: true },
  );

  const session = createPaintSession({
    document: () => labels.document,
    tool: () => viewer.paintTool,
    radiusMm: () => viewer.brushRadiusMm,
    activeSegment: () => segments.active,
    lockedLabels: () => new Set(segments.segments.filter((segment) => segment.locked).map((segment) => segment.label)),
    threshold: () => viewer.thresholdHu,
    intensityAt: () => viewer.viewer?.intensitySampler() ?? null,
    voxelCount: () => {
      const dimensions = labels.document?.grid.dimensions;
      return dimensions === undefined ? 0 : dimensions[0] * dimensions[1] * dimensions[2];
    },
    notify: (message) => viewer.setPaintNotice(message),
  });
  watch(
    () => viewer.paintTool,
    (tool) => {
      viewer.setPaintHandler(tool === 'navigate' ? null : session);
      viewer.viewer?.redrawPaintCursor();
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    offChange?.();
    offChange = null;
    viewer.setPaintHandler(null);
    viewer.showLabels(null);
  });
}
