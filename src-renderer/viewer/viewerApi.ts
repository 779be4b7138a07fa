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
}

/** Everything the viewer tells its listeners, as a discriminated union. */
export type ViewerEvent =
  | { readonly kind: 'progress'; readonly seriesId: SeriesId; readonly progress: LoadProgress }
  | { readonly kind: 'opened'; readonly seriesId: SeriesId }
  | { readonly kind: 'failed'; readonly seriesId: SeriesId; readonly message: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'plane'; readonly plane: Plane; readonly readout: PlaneReadout }
  | { readonly kind: 'window'; readonly window: WindowLevel };

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
  /** Told about every {@link ViewerEvent}; returns its unsubscribe. */
  subscribe(listener: (event: ViewerEvent) => void): Unsubscribe;
  /** Exit: destroys the rendering engine and tools and frees every cached pixel. */
  dispose(): void;
}
