/**
 * The newest model version's answer over the whole volume, as the session
 * streams it slice by slice, and the mask on screen. Once every slice of a
 * version is in, the regions no stroke of their structure touches are
 * dropped in 3-D (ml/keepStrokeConnected.ts) and the slices that changed sent
 * again: islands on slices nobody painted (scalp, skull base, neck) disappear
 * when the volume is complete.
 *
 * Until then a streamed slice is filtered against its surroundings: a
 * structure's region on it is shown only if it touches a stroke of that
 * structure on the slice, the mask shown there before, or the mask shown on
 * the slice above or below (face-connected, the 3-D filter's rule applied to
 * three slices). While a burst runs its versions rarely cover the whole
 * volume (a newer one comes first), so without this their unfiltered slices
 * stayed on screen: on Colin27 the shown mask fell from 0.95 to 0.78 Dice
 * mid-burst while every version, filtered, scored 0.90-0.97
 * (docs/benchmarks.md, session 11). The whole volume's 3-D filter still
 * decides the final mask, from the answer as inferred.
 *
 * Both filters first drop each structure's answers outside its strokes'
 * extent (ml/strokeExtent.ts), then fuse the answer with each outlined
 * structure's shape interpolated between its painted slices
 * (ml/sliceInterpolation.ts, ml/shapeFusion.ts), as `macl eval` scores them.
 */
import { keepStrokeConnected } from '../../ml/keepStrokeConnected';
import { fuseWithShapes } from '../../ml/shapeFusion';
import { interpolateByDefault, structureShapes, type StructureShape } from '../../ml/sliceInterpolation';
import { keepWithinExtents, limitToExtentByDefault, strokeExtents, type StructureExtent } from '../../ml/strokeExtent';
import type { SliceLabels } from './interactiveLayers';

/** One slice's labels to send. */
export interface ShownSlice {
  readonly k: number;
  readonly labels: Uint8Array;
}

export class ShownVolume {
  /** The newest answer per slice as inferred. */
  private readonly inferred: Uint8Array;
  /** What was sent per slice (the mask on screen). */
  private readonly shown: Uint8Array;
  private readonly perSlice: number;
  /** The shapes of the strokes last seen (recomputed when a labelled slice changes). */
  private shapesFor: { readonly strokes: readonly SliceLabels[]; readonly classes: number; readonly shapes: readonly (StructureShape | null)[] | null } | null = null;

  constructor(private readonly dimensions: readonly [number, number, number]) {
    const [nx, ny, nz] = dimensions;
    this.perSlice = nx * ny;
    this.inferred = new Uint8Array(nx * ny * nz);
    this.shown = new Uint8Array(nx * ny * nz);
  }

  /**
   * Records slices `ks` (their labels concatenated, x fastest) and returns
   * what to show of each: as inferred when `strokes` is null (no filter),
   * else only the regions touching a stroke or the shown mask around them
   * (see the file comment; classes 1..classes-1 with a stroke anywhere).
   */
  write(ks: readonly number[], labels: Uint8Array, strokes: readonly SliceLabels[] | null, classes: number): ShownSlice[] {
    ks.forEach((k, i) => this.inferred.set(labels.subarray(i * this.perSlice, (i + 1) * this.perSlice), k * this.perSlice));
    const stroked = strokes === null ? [] : strokedClasses(strokes);
    const extents = strokes === null ? null : extentsOfStrokes(strokes, this.dimensions, classes);
    const shapes = strokes === null ? null : this.shapesOf(strokes, classes);
    return ks.map((k) => {
      const slice = strokes === null ? this.inferredSlice(k) : this.nearShown(k, strokes, stroked, classes, extents, shapes);
      this.shown.set(slice, k * this.perSlice);
      return { k, labels: slice };
    });
  }

  /**
   * The 3-D filter over the whole answer as inferred (`strokes`: the
   * session's labelled slices); sets the shown mask to it and returns the
   * slices whose shown labels changed.
   */
  keepStrokeConnected(strokes: readonly SliceLabels[], classes: number): ShownSlice[] {
    const [nx, ny, nz] = this.dimensions;
    // Int16: classes run to 254, and -1 marks an unlabelled voxel.
    const strokeVolume = new Int16Array(this.inferred.length).fill(-1);
    for (const slice of strokes) strokeVolume.set(slice.labels, slice.k * this.perSlice);
    const grid = { width: nx, height: ny, depth: nz };
    const extents = extentsOfStrokes(strokes, this.dimensions, classes);
    const limited = extents === null ? this.inferred : keepWithinExtents(this.inferred, extents, grid).labels;
    const shapes = this.shapesOf(strokes, classes);
    const fused = shapes === null ? limited : fuseWithShapes(limited, shapes, grid).labels;
    const { labels } = keepStrokeConnected(fused, strokeVolume, grid, classes);
    const changed: ShownSlice[] = [];
    for (let k = 0; k < nz; k += 1) {
      const from = k * this.perSlice;
      for (let i = from; i < from + this.perSlice; i += 1) {
        if (labels[i] !== this.shown[i]) {
          changed.push({ k, labels: labels.slice(from, from + this.perSlice) });
          break;
        }
      }
    }
    this.shown.set(labels);
    return changed;
  }

  private inferredSlice(k: number): Uint8Array {
    return this.inferred.slice(k * this.perSlice, (k + 1) * this.perSlice);
  }

  /**
   * Slice k as inferred, keeping each class's regions that touch, within the
   * three slices k - 1, k, k + 1, a seed: a stroke of the class on k, the
   * class as shown on k before, or the class as shown on k - 1 or k + 1
   * (after the extent limit and the shapes' fusion, when given).
   */
  private nearShown(k: number, strokes: readonly SliceLabels[], stroked: readonly number[], classes: number, extents: readonly (StructureExtent | null)[] | null, shapes: readonly (StructureShape | null)[] | null): Uint8Array {
    const plane = this.perSlice;
    const depth = this.dimensions[2];
    // The stack: shown k - 1 (or nothing), inferred k, shown k + 1 (or nothing).
    const prediction = new Uint8Array(3 * plane);
    const seeds = new Int16Array(3 * plane).fill(-1);
    const painted = strokes.find((slice) => slice.k === k)?.labels;
    for (const [layer, z] of [[0, k - 1], [2, k + 1]] as const) {
      if (z < 0 || z >= depth) continue;
      const shown = this.shown.subarray(z * plane, (z + 1) * plane);
      prediction.set(shown, layer * plane);
      for (let i = 0; i < plane; i += 1) if (shown[i] !== 0) seeds[layer * plane + i] = shown[i] as number;
    }
    const inferred = this.inferred.subarray(k * plane, (k + 1) * plane);
    const sliceGrid = { width: this.dimensions[0], height: this.dimensions[1], depth: 1 };
    const limited = extents === null ? inferred : keepWithinExtents(inferred, extents, sliceGrid, k).labels;
    prediction.set(shapes === null ? limited : fuseWithShapes(limited, shapes, sliceGrid, k).labels, plane);
    const before = this.shown.subarray(k * plane, (k + 1) * plane);
    for (let i = 0; i < plane; i += 1) {
      const stroke = painted?.[i] ?? -1;
      if (stroke > 0) seeds[plane + i] = stroke;
      else if (before[i] !== 0) seeds[plane + i] = before[i] as number;
    }
    const { labels } = keepStrokeConnected(prediction, seeds, { width: this.dimensions[0], height: this.dimensions[1], depth: 3 }, classes, stroked);
    return labels.slice(plane, 2 * plane);
  }

  /** Each class's shape interpolated between its painted slices (null: the interpolation is off); the same strokes (slice for slice) give the same shapes without recomputing them. */
  private shapesOf(strokes: readonly SliceLabels[], classes: number): readonly (StructureShape | null)[] | null {
    if (!interpolateByDefault) return null;
    const cached = this.shapesFor;
    if (cached !== null && cached.classes === classes && cached.strokes.length === strokes.length && cached.strokes.every((slice, i) => slice === strokes[i])) return cached.shapes;
    const [width, height, depth] = this.dimensions;
    const shapes = structureShapes(strokes.map((slice) => ({ z: slice.k, labels: slice.labels })), { width, height, depth }, classes);
    this.shapesFor = { strokes: [...strokes], classes, shapes };
    return shapes;
  }
}

/** Each class's extent from the strokes (null: the limit is off). */
function extentsOfStrokes(strokes: readonly SliceLabels[], dimensions: readonly [number, number, number], classes: number): (StructureExtent | null)[] | null {
  if (!limitToExtentByDefault) return null;
  const [width, height, depth] = dimensions;
  return strokeExtents(strokes.map((slice) => ({ z: slice.k, labels: slice.labels })), { width, height, depth }, classes);
}

/** The classes (>= 1) with a stroke on any slice. */
function strokedClasses(strokes: readonly SliceLabels[]): number[] {
  const found = new Set<number>();
  for (const slice of strokes) for (const value of slice.labels) if (value > 0) found.add(value);
  return [...found];
}
