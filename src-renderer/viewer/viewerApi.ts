/**
 * What the rest of the renderer knows about the viewer: plain data and one
 * interface, no cornerstone types. Stores and components depend on this file
 * only, so they run (and are tested) without WebGL; the cornerstone
 * implementation is loaded lazily behind it (loadViewer.ts).
 */
import type { SeriesId } from '../../src-main/shared/contract/series';
import type { Plane } from '../stores/layout';
import type { OrientationLabels } from './orientationLabels';
import type { WindowLevel } from './windowLevel';

/** Cancels a subscription or an attachment. */
export type Unsubscribe = () => void;

/** What the viewer needs to open a series. */
export interface OpenSeriesRequest {
  readonly seriesId: SeriesId;
  /** `CT`, `MR`, …: picks the presets and the initial window. */
  readonly modality: string;
  /** Absolute URLs of the sorted slices (frames as `…?frame=N`, 1-based). */
  readonly imageUrls: readonly string[];
}

/** Where loading a series stands: files come over the wire, then decode into the volume. */
export interface LoadProgress {
  readonly phase: 'fetching' | 'decoding' | 'done';
  /** Slices (or files, while fetching) finished in this phase, failed ones included. */
  readonly done: number;
  readonly total: number;
  /** Slices that could not be decoded (shown black). */
  readonly failed: number;
}

/** What one viewport's overlay shows. */
export interface PlaneReadout {
  /** 0-based slice index along this viewport's normal. */
  readonly sliceIndex: number;
  readonly sliceCount: number;
  /** Position of the slice along the patient axis closest to the normal (mm, LPS). */
  readonly positionMm: number;
  readonly labels: OrientationLabels;
  /** The centre of the shown slice and the view-plane normal, in world mm (to find the slice in the label grid). */
  readonly focalPointMm: readonly [number, number, number];
  readonly normal: readonly [number, number, number];
}

/** A point or direction in patient space (LPS, millimetres). */
export type WorldVector = readonly [number, number, number];

/**
 * The label layers to draw over the open series, one byte a voxel over its
 * sorted grid (index i + j*nx + k*nx*ny). The viewer shows these very arrays
 * (no copy): after changing them, call {@link Viewer.refreshLabels}.
 */
export interface LabelOverlay {
  readonly seriesId: SeriesId;
  /** Columns, rows, slices; must match the open volume. */
  readonly dimensions: readonly [number, number, number];
  /** What the user's layers show (solid): 1..254 segments, 255 background strokes. */
  readonly display: Uint8Array;
  /** The model's predictions (translucent, outlined): 1..254 segments. */
  readonly prediction: Uint8Array;
}

/** One segment as the overlay colours it. */
export interface OverlaySegment {
  readonly label: number;
  /** `#rrggbb`. */
  readonly color: string;
  readonly visible: boolean;
}

/** How the two label layers look. */
export interface LabelOverlayStyle {
  readonly segments: readonly OverlaySegment[];
  /** Fill opacity of the user's layer (0..1). */
  readonly labelOpacity: number;
  /** Outline the user's segments too. */
  readonly labelOutline: boolean;
  /** Fill opacity of the predictions (0..1; 0 = outline only). */
  readonly predictionOpacity: number;
  readonly predictionOutline: boolean;
  readonly showPrediction: boolean;
}

/** Where the pointer is while painting, as the label model needs it. */
export interface PaintPointer {
  readonly plane: Plane;
  readonly pointMm: WorldVector;
  /** Unit normal of the viewport's view plane (world). */
  readonly planeNormal: WorldVector;
  /** The DOM event's time stamp (performance.now() clock), for latency measurements. */
  readonly timeStamp: number;
}

/** Receives the primary button's presses and drags in the viewports while a paint tool is active. */
export interface PaintHandler {
  /** Radius of the cursor circle in mm (0 hides it). */
  cursorRadiusMm(): number;
  press(pointer: PaintPointer): void;
  drag(pointer: PaintPointer): void;
  release(): void;
}

/** Everything the viewer tells its listeners, as a discriminated union. */
export type ViewerEvent =
  | { readonly kind: 'progress'; readonly seriesId: SeriesId; readonly progress: LoadProgress }
  | { readonly kind: 'opened'; readonly seriesId: SeriesId }
  | { readonly kind: 'failed'; readonly seriesId: SeriesId; readonly message: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'plane'; readonly plane: Plane; readonly readout: PlaneReadout }
  | { readonly kind: 'window'; readonly window: WindowLevel }
  /** The label layers could not be drawn over the series (the labels themselves are untouched). */
  | { readonly kind: 'labels-failed'; readonly message: string };

/** The viewer: a rendering engine with three orthographic viewports over one volume. */
export interface Viewer {
  /** Renders `plane` into `element` until the returned function is called. */
  attach(plane: Plane, element: HTMLDivElement): Unsubscribe;
  /** Loads a series into one shared volume and shows it in every attached viewport. */
  open(request: OpenSeriesRequest): Promise<void>;
  /** Unloads the open series and frees its pixels. */
  close(): void;
  /** Sets the window of every viewport (they stay in sync). */
  setWindow(window: WindowLevel): void;
  /** The window from the `lower` to the `upper` quantile (0..1) of the open volume's voxels, or null before one is loaded. */
  percentileWindow(lower: number, upper: number): WindowLevel | null;
  /** Moves `plane` by `delta` slices. */
  scroll(plane: Plane, delta: number): void;
  /** Draws `overlay` over the open series (once it is shown), or removes it (null). */
  showLabels(overlay: LabelOverlay | null): void;
  /**
   * Redraws a layer after its array changed: only slices `kSlices` (indices
   * along the grid's third axis), or all (null); only in `planes` when given
   * (the others show no changed voxel: planesShowingChange.ts), else in all.
   */
  refreshLabels(layer: 'display' | 'prediction', kSlices: readonly number[] | null, planes?: readonly Plane[]): void;
  /** Sets colours, visibility, opacity and outlines of the label layers. */
  setLabelStyle(style: LabelOverlayStyle): void;
  /** While a handler is set, the primary button paints through it instead of setting the window. */
  setPaintHandler(handler: PaintHandler | null): void;
  /** Asks the paint cursor to redraw (its radius changed). */
  redrawPaintCursor(): void;
  /** Reads the open volume's voxel at a flat grid index, in modality units (HU for CT); null before one is shown. */
  intensitySampler(): ((flatIndex: number) => number) | null;
  /** Told about every {@link ViewerEvent}; returns its unsubscribe. */
  subscribe(listener: (event: ViewerEvent) => void): Unsubscribe;
  /** Exit: destroys the rendering engine and tools and frees every cached pixel. */
  dispose(): void;
}
