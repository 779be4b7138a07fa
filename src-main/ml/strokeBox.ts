/**
 * The region of interest of a segmentation task: one in-plane box, the same
 * on every slice, around the strokes of the structures (class >= 1) over all
 * stroked slices, widened by a margin and made square. Training crops every
 * stroked slice to it before resizing to the training size, and inference
 * segments only the box (every voxel outside it is background), so a compact
 * structure is seen near its own resolution instead of shrunk with the whole
 * field of view (docs/eval-protocol.md, "Region of interest").
 *
 * Background strokes do not widen the box: a background line may run to the
 * field of view's edge (the simulated radiologist draws one; a user may too),
 * and a box reaching the edge is the whole slice again. Outside the box is
 * background by definition, so those strokes lose nothing.
 */
import * as tf from '@tensorflow/tfjs';

/** An in-plane box on the image grid: columns x0 .. x0 + width - 1, rows y0 .. y0 + height - 1. */
export interface SliceBox {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

/** How the box grows around the strokes. */
export interface StrokeBoxOptions {
  /** Added on every side, as a share of the strokes' larger extent (default 0.25). */
  readonly margin?: number;
  /** Added on every side at least, in voxels (default 8). */
  readonly minMargin?: number;
}

/** The stroked voxels' extent [x0, x1, y0, y1] (inclusive) over slices of `width` x `height`, or null when no structure is stroked. */
function structureExtent(slices: readonly ArrayLike<number>[], width: number): [number, number, number, number] | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const labels of slices) {
    for (let i = 0; i < labels.length; i += 1) {
      if ((labels[i] ?? -1) < 1) continue;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? null : [x0, x1, y0, y1];
}

/** A span of `length` centred on [lo, hi], shifted to lie inside 0 .. limit - 1 (cut to `limit` when longer). */
function placeSpan(lo: number, hi: number, length: number, limit: number): [number, number] {
  const side = Math.min(length, limit);
  const centre = (lo + hi + 1) / 2;
  const start = Math.max(0, Math.min(limit - side, Math.round(centre - side / 2)));
  return [start, side];
}

/**
 * The box around the structures' strokes (per-slice training labels: -1
 * unlabelled, 0 background, >= 1 a structure) on slices of `width` x
 * `height`: their extent, grown by the margin on every side, made square on
 * its larger side and kept inside the slice. Null when no structure is
 * stroked (then the whole slice is used).
 */
export function strokeBox(slices: readonly ArrayLike<number>[], width: number, height: number, options: StrokeBoxOptions = {}): SliceBox | null {
  const margin = options.margin ?? 0.25;
  const minMargin = options.minMargin ?? 8;
  if (!(margin >= 0) || !(minMargin >= 0)) throw new Error(`strokeBox: margins must be >= 0, got ${margin} and ${minMargin}.`);
  const extent = structureExtent(slices, width);
  if (extent === null) return null;
  const [x0, x1, y0, y1] = extent;
  const larger = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const side = larger + 2 * Math.max(minMargin, Math.ceil(margin * larger));
  const [bx, bw] = placeSpan(x0, x1, side, width);
  const [by, bh] = placeSpan(y0, y1, side, height);
  return { x0: bx, y0: by, width: bw, height: bh };
}

/** Whether `box` is the whole slice (cropping would change nothing). */
export function coversSlice(box: SliceBox, width: number, height: number): boolean {
  return box.x0 === 0 && box.y0 === 0 && box.width === width && box.height === height;
}

/** The box to crop `width` x `height` slices to: null when there is none or it is the whole slice; `caller` names who asks in the error when it is not inside the slice. */
export function boxToCrop(roi: SliceBox | null, width: number, height: number, caller: string): SliceBox | null {
  if (roi === null) return null;
  if (!(roi.x0 >= 0 && roi.y0 >= 0 && roi.width >= 1 && roi.height >= 1 && roi.x0 + roi.width <= width && roi.y0 + roi.height <= height)) {
    throw new Error(`${caller}: the region of interest ${roi.width}x${roi.height} at (${roi.x0}, ${roi.y0}) is not inside the ${width}x${height} slice.`);
  }
  return coversSlice(roi, width, height) ? null : roi;
}

/** Slices [n, height, width, channels] cropped to `box` (boxToCrop's answer; null: the slices as they are). */
export function cropSliceTensor(slices: tf.Tensor4D, box: SliceBox | null): tf.Tensor4D {
  return box === null ? slices : tf.slice(slices, [0, box.y0, box.x0, 0], [-1, box.height, box.width, -1]);
}

/** The box's voxels of `count` slices of `width` x `height` x `channels` values each (slice-major), as [count, box.height, box.width, channels]. */
export function cropSlices<T extends Float32Array | Int32Array>(data: T, count: number, width: number, height: number, box: SliceBox, channels = 1): T {
  const out = (data instanceof Float32Array ? new Float32Array(count * box.width * box.height * channels) : new Int32Array(count * box.width * box.height * channels)) as T;
  const row = box.width * channels;
  for (let s = 0; s < count; s += 1) {
    for (let y = 0; y < box.height; y += 1) {
      const from = ((s * height + box.y0 + y) * width + box.x0) * channels;
      out.set(data.subarray(from, from + row), (s * box.height + y) * row);
    }
  }
  return out;
}
