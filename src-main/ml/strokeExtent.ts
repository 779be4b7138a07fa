/**
 * Each structure's extent: a 3-D box around its own strokes, grown from the
 * strokes' geometry, outside which an answer of that structure is dropped
 * to background. A network trained on a few stroked slices answers "this
 * structure" also far from where it was painted (another nucleus of similar
 * intensity, the far end of the volume), and such a region can still touch
 * the strokes through a thin bridge, so the stroke-connected filter
 * (keepStrokeConnected.ts) keeps it whole. A structure lies near its strokes:
 *
 * - in-plane, its strokes' extent over all its stroked slices, grown on
 *   every side by `growth` times their larger extent (a stroke along a
 *   structure's long axis spans most of its length, not its width);
 * - along the slice axis, its stroked slices' span grown on both sides by
 *   the spacing between them (slices painted at the centres of K equal parts
 *   leave half a part beyond the outer ones; a whole part is kept), and at
 *   least by `growth` times the in-plane extent (in slices, through the
 *   voxels' aspect), which also decides it when one slice is painted.
 *
 * A structure painted on slices spread over it (a whole brain on 3 slices)
 * keeps a box larger than itself: the rule only bites where a structure is
 * small against what the network may confuse it with. Classes with no
 * stroke are left as they are.
 */

/** The grid of a volume (x fastest, then y, then z). */
export interface ExtentGrid {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

/** A 3-D box on the grid, bounds inclusive. */
export interface StructureExtent {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly z0: number;
  readonly z1: number;
}

export interface StrokeExtentOptions {
  /** Growth on every side, as a share of the strokes' larger in-plane extent (default defaultExtentGrowth). */
  readonly growth?: number;
  /** Slice spacing over in-plane spacing (default 1): converts the in-plane extent into slices. */
  readonly sliceAspect?: number;
  /** The growth in-plane at least, in voxels (default 4): a dab of a stroke still keeps its neighbourhood. */
  readonly minMargin?: number;
}

/** Half the strokes' larger extent on every side: the box is twice the stroked length across. */
export const defaultExtentGrowth = 0.5;

/** Whether the loop and `macl eval` limit each structure to its extent by default (docs/eval-protocol.md, session 12). */
export const limitToExtentByDefault = true;

/** One stroked slice: its index along the slice axis and its labels (-1 unlabelled, 0 background, c a stroke of class c), x fastest. */
export interface StrokedSlice {
  readonly z: number;
  readonly labels: ArrayLike<number>;
}

/**
 * Per class index (0 and classes never stroked: null) the box its answers
 * are kept in, from the stroked slices of a `grid` volume.
 */
export function strokeExtents(slices: readonly StrokedSlice[], grid: ExtentGrid, classCount: number, options: StrokeExtentOptions = {}): (StructureExtent | null)[] {
  const growth = options.growth ?? defaultExtentGrowth;
  const aspect = options.sliceAspect ?? 1;
  const minMargin = options.minMargin ?? 4;
  if (!(growth >= 0) || !(aspect > 0) || !(minMargin >= 0)) throw new Error(`strokeExtents: growth and the margin must be >= 0 and the slice aspect > 0, got ${growth}, ${minMargin} and ${aspect}.`);
  const { width, height, depth } = grid;
  const plane = width * height;
  const x0 = new Array<number>(classCount).fill(Infinity);
  const x1 = new Array<number>(classCount).fill(-Infinity);
  const y0 = new Array<number>(classCount).fill(Infinity);
  const y1 = new Array<number>(classCount).fill(-Infinity);
  const zs = Array.from({ length: classCount }, () => new Set<number>());
  for (const { z, labels } of slices) {
    if (labels.length !== plane) throw new Error(`strokeExtents: slice ${z} has ${labels.length} voxels, the ${width}x${height} plane ${plane}.`);
    for (let i = 0; i < plane; i += 1) {
      const c = labels[i] ?? -1;
      if (c < 1 || c >= classCount) continue;
      const x = i % width;
      const y = (i - x) / width;
      if (x < (x0[c] ?? 0)) x0[c] = x;
      if (x > (x1[c] ?? 0)) x1[c] = x;
      if (y < (y0[c] ?? 0)) y0[c] = y;
      if (y > (y1[c] ?? 0)) y1[c] = y;
      zs[c]?.add(z);
    }
  }
  return zs.map((stroked, c) => {
    if (c === 0 || stroked.size === 0) return null;
    const ax0 = x0[c] ?? 0;
    const ax1 = x1[c] ?? 0;
    const ay0 = y0[c] ?? 0;
    const ay1 = y1[c] ?? 0;
    const larger = Math.max(ax1 - ax0 + 1, ay1 - ay0 + 1);
    const inPlane = Math.max(minMargin, Math.ceil(growth * larger));
    const sorted = [...stroked].sort((a, b) => a - b);
    const first = sorted[0] ?? 0;
    const last = sorted[sorted.length - 1] ?? 0;
    const between = sorted.length > 1 ? Math.ceil((last - first) / (sorted.length - 1)) : 0;
    const along = Math.max(between, Math.ceil(inPlane / aspect));
    return {
      x0: Math.max(0, ax0 - inPlane),
      x1: Math.min(width - 1, ax1 + inPlane),
      y0: Math.max(0, ay0 - inPlane),
      y1: Math.min(height - 1, ay1 + inPlane),
      z0: Math.max(0, first - along),
      z1: Math.min(depth - 1, last + along),
    };
  });
}

/**
 * The class map with each class's voxels outside its extent set to
 * background (a new array), and how many were, per class. `prediction`
 * holds `grid.depth` slices starting at slice `firstSlice` of the volume the
 * extents are on (a streamed slice: its index and depth 1).
 */
export function keepWithinExtents(prediction: Uint8Array, extents: readonly (StructureExtent | null)[], grid: ExtentGrid, firstSlice = 0): { readonly labels: Uint8Array; readonly removed: readonly number[] } {
  const { width, height, depth } = grid;
  if (prediction.length !== width * height * depth) throw new Error(`keepWithinExtents: the grid ${width}x${height}x${depth} needs ${width * height * depth} voxels, got ${prediction.length}.`);
  const labels = new Uint8Array(prediction);
  const removed = new Array<number>(extents.length).fill(0);
  let i = 0;
  for (let z = firstSlice; z < firstSlice + depth; z += 1) {
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1, i += 1) {
        const c = labels[i] ?? 0;
        if (c === 0) continue;
        const box = extents[c];
        if (box === null || box === undefined) continue;
        if (x < box.x0 || x > box.x1 || y < box.y0 || y > box.y1 || z < box.z0 || z > box.z1) {
          labels[i] = 0;
          removed[c] = (removed[c] ?? 0) + 1;
        }
      }
    }
  }
  return { labels, removed };
}

/** The stroked slices of a label volume (-1 unlabelled) on `grid`, as strokeExtents reads them. */
export function strokedSlicesOf(strokes: Int32Array | Int16Array, slices: readonly number[], grid: ExtentGrid): StrokedSlice[] {
  const plane = grid.width * grid.height;
  return slices.map((z) => ({ z, labels: strokes.subarray(z * plane, (z + 1) * plane) }));
}
