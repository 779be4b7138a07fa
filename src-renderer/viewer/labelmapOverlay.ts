/**
 * The two label layers of the open series as cornerstone segmentations over
 * its volume: the user's layer (solid) and the model's predictions
 * (translucent, outlined). Enter on creation, exit on release; viewports
 * join and leave as they attach. The voxels stay in the label model's
 * arrays (createLabelmapVolume.ts); a refresh re-uploads only the slices
 * that changed.
 */
import { cache, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation, utilities as toolUtilities } from '@cornerstonejs/tools';
import { createSharedLabelmapVolume, type SharedLabelmapVolume } from './createLabelmapVolume';
import { hiddenLabels, labelColorTable, type Rgba } from './labelColors';
import type { LabelOverlay, LabelOverlayStyle } from './viewerApi';

const Labelmap = ToolEnums.SegmentationRepresentations.Labelmap;

/** The parts of a cached labelmap volume a partial refresh touches (cornerstone types the texture as any). */
interface RefreshableVolume {
  readonly vtkOpenGLTexture?: { setUpdatedFrame?: (k: number) => void };
  readonly voxelManager?: { invalidateCache?: () => void };
  readonly imageData?: { modified(): void };
}
type Layer = 'display' | 'prediction';
const layers: readonly Layer[] = ['display', 'prediction'];

/** The overlay of one series on the viewer's viewports. */
export interface LabelmapOverlay {
  readonly seriesId: string;
  addViewport(viewportId: string): void;
  removeViewport(viewportId: string): void;
  /** Re-uploads `kSlices` (all: null) of a layer and redraws the viewports in `onlyViewports` (all when not given). */
  refresh(layer: Layer, kSlices: readonly number[] | null, onlyViewports?: readonly string[]): void;
  setStyle(style: LabelOverlayStyle): void;
  release(): void;
}

interface LayerState {
  readonly segmentationId: string;
  readonly volume: SharedLabelmapVolume;
  readonly lutIndex: number;
  table: Rgba[];
  hidden: Set<number>;
}

let overlays = 0;

/** Every label value 1..255 as a segment, so each can be hidden per viewport. */
function allSegments(): Record<number, { segmentIndex: number; label: string }> {
  const segments: Record<number, { segmentIndex: number; label: string }> = {};
  for (let value = 1; value <= 255; value++) segments[value] = { segmentIndex: value, label: `Label ${value}` };
  return segments;
}

/** The fill/outline style of a layer, the same whether cornerstone counts its segmentation active or not. */
function layerStyle(style: LabelOverlayStyle, layer: Layer): Record<string, number | boolean> {
  const fill = layer === 'display' ? style.labelOpacity : style.showPrediction ? style.predictionOpacity : 0;
  const outline = layer === 'display' ? style.labelOutline : style.showPrediction && style.predictionOutline;
  return {
    renderFill: fill > 0,
    renderFillInactive: fill > 0,
    fillAlpha: fill,
    fillAlphaInactive: fill,
    renderOutline: outline,
    renderOutlineInactive: outline,
    outlineWidth: layer === 'display' ? 1 : 2,
    outlineWidthInactive: layer === 'display' ? 1 : 2,
    activeSegmentOutlineWidthDelta: 0,
    outlineOpacity: 1,
    outlineOpacityInactive: 1,
  };
}

/** Creates the overlay of `overlay` over `reference` (the shown series volume); throws a readable error when they do not fit. */
export function createLabelmapOverlay(reference: Types.IImageVolume, overlay: LabelOverlay, initialStyle: LabelOverlayStyle): LabelmapOverlay {
  const [nx, ny, nz] = reference.dimensions;
  const [ox, oy, oz] = overlay.dimensions;
  if (nx !== ox || ny !== oy || nz !== oz) {
    throw new Error(`The labels cover a ${ox}x${oy}x${oz} grid but the series shows ${nx}x${ny}x${nz}: they are not drawn.`);
  }
  const suffix = `${overlay.seriesId}-${++overlays}`;
  const viewports = new Set<string>();
  let style = initialStyle;
  const states = new Map<Layer, LayerState>();
  const release = (): void => {
    for (const state of states.values()) {
      if (segmentation.state.getSegmentation(state.segmentationId) !== undefined) segmentation.removeSegmentation(state.segmentationId);
      segmentation.state.removeColorLUT(state.lutIndex);
      state.volume.release();
    }
    states.clear();
    viewports.clear();
  };
  try {
    for (const layer of layers) {
      const segmentationId = `macl-${layer}-${suffix}`;
      const volume = createSharedLabelmapVolume(reference, `macl-labelmap-${layer}-${suffix}`, overlay[layer]);
      const table = labelColorTable(style, layer);
      segmentation.addSegmentations([{ segmentationId, representation: { type: Labelmap, data: { volumeId: volume.volumeId } }, config: { segments: allSegments() } }]);
      const lutIndex = segmentation.config.color.addColorLUT(table.map((entry) => [...entry]) as Types.ColorLUT);
      segmentation.config.style.setStyle({ type: Labelmap, segmentationId }, layerStyle(style, layer));
      states.set(layer, { segmentationId, volume, lutIndex, table, hidden: new Set() });
    }
  } catch (error) {
    release();
    throw error;
  }

  function applyVisibility(viewportId: string, state: LayerState, hidden: Set<number>): void {
    for (const label of new Set([...state.hidden, ...hidden])) {
      segmentation.config.visibility.setSegmentIndexVisibility(viewportId, { segmentationId: state.segmentationId, type: Labelmap }, label, !hidden.has(label));
    }
  }

  return {
    seriesId: overlay.seriesId,

    addViewport(viewportId) {
      if (viewports.has(viewportId) || states.size === 0) return;
      viewports.add(viewportId);
      // The user's layer first, the predictions over it: their outlines stay visible on painted voxels.
      const inputs = layers.map((layer) => {
        const state = states.get(layer);
        return { segmentationId: state?.segmentationId ?? '', type: Labelmap, config: { colorLUTOrIndex: state?.lutIndex } };
      });
      segmentation.addLabelmapRepresentationToViewportMap({ [viewportId]: inputs });
      for (const state of states.values()) {
        const hidden = state.hidden;
        state.hidden = new Set();
        applyVisibility(viewportId, state, hidden);
        state.hidden = hidden;
      }
    },

    removeViewport(viewportId) {
      if (!viewports.delete(viewportId)) return;
      for (const state of states.values()) segmentation.removeSegmentationRepresentations(viewportId, { segmentationId: state.segmentationId });
    },

    refresh(layer, kSlices, onlyViewports) {
      const state = states.get(layer);
      if (state === undefined) return;
      const slices = kSlices === null ? undefined : kSlices.filter((k) => k >= 0 && k < nz);
      if (slices !== undefined && slices.length === 0) return;
      if (slices === undefined || onlyViewports === undefined) {
        segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(state.segmentationId, slices === undefined ? undefined : [...slices]);
        return;
      }
      // What cornerstone's data-modified handler does (mark the slices for upload, tell the
      // image data it changed), minus redrawing every viewport: only those that show the change.
      const volume = cache.getVolume(state.volume.volumeId) as RefreshableVolume | undefined;
      if (volume === undefined) return;
      for (const k of slices) volume.vtkOpenGLTexture?.setUpdatedFrame?.(k);
      volume.voxelManager?.invalidateCache?.();
      volume.imageData?.modified();
      for (const viewportId of onlyViewports) if (viewports.has(viewportId)) toolUtilities.segmentation.triggerSegmentationRender(viewportId);
    },

    setStyle(next) {
      style = next;
      for (const [layer, state] of states) {
        const table = labelColorTable(next, layer);
        const hidden = hiddenLabels(next);
        segmentation.config.style.setStyle({ type: Labelmap, segmentationId: state.segmentationId }, layerStyle(next, layer));
        // The table is shared by every viewport showing the layer: change it in place, then have each redraw.
        const lut = segmentation.state.getColorLUT(state.lutIndex);
        if (lut !== undefined) for (const [value, entry] of table.entries()) lut[value] = [...entry];
        for (const viewportId of viewports) {
          applyVisibility(viewportId, state, hidden);
          segmentation.triggerSegmentationEvents.triggerSegmentationRepresentationModified(viewportId, state.segmentationId, Labelmap);
        }
        state.table = table;
        state.hidden = hidden;
      }
    },

    release,
  };
}
