/**
 * Each structure's shape between its painted slices ("fill between slices",
 * the shape interpolation of 3D Slicer and ITK-SNAP). A structure stroked on
 * a few slices with a background outline round it has given its
 * cross-section there (ml/paintedSections.ts). Between two such slices its
 * cross-section is taken to change smoothly: the signed distance to each
 * painted slice's section, moved to the two sections' centroids'
 * interpolated position, is interpolated linearly along the slice axis, and
 * beyond the outer painted slices the end slice's signed distance is shrunk
 * to nothing over half the painted slices' spacing (slices painted at the
 * centres of K equal parts leave half a part beyond the outer ones; with one
 * painted slice, over half the section's larger in-plane extent, through the
 * voxels' aspect: a round structure is about as deep as it is wide). From
 * the true masks of 3 painted slices this alone reaches Dice 0.76 on
 * Colin27's six deep grey nuclei, where the network reached 0.28
 * (docs/eval-protocol.md, session 13).
 *
 * A structure gets a shape only if it has a section on every slice it was
 * painted on: one whose strokes there are lines (a user scribbling inside
 * only, an outline left open) gives no cross-section, and a shape from some
 * of its slices would contradict the others; it is left to the answer
 * (ml/shapeFusion.ts never touches a structure without a shape).
 *
 * Only where several structures are painted (`severalOnly`, default on):
 * there the network's answer on a small structure is poor and the shape
 * lifts it (Colin27's nuclei 0.28 -> 0.80), while one structure painted
 * alone, a whole brain, is answered better by the network between the
 * painted slices than by the shape (the ITK brain 0.955 -> 0.938 with it;
 * docs/eval-protocol.md, session 13).
 */
import { chamferDistance } from './chamferDistance';
import { paintedSections, type PaintedSectionOptions } from './paintedSections';
import { slicesPaintSeveralStructures } from './severalStructures';

/** The grid of a volume (x fastest, then y, then z). */
export interface ShapeGrid {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
}

/** One painted slice: its index along the slice axis and its strokes (-1 unlabelled, 0 background, c a stroke of class c), x fastest. */
export interface PaintedSlice {
  readonly z: number;
  readonly labels: ArrayLike<number>;
}

export interface SliceInterpolationOptions extends PaintedSectionOptions {
  /**
   * Interpolate each pair of sections after moving both to their
   * centroids' interpolated position (default true): a structure that
   * curves or runs obliquely (a hippocampus, a vessel) keeps its width
   * between painted slices instead of shrinking where its sections do not
   * overlap (the hippocampi 0.61 / 0.71 -> 0.74 / 0.76; docs/eval-protocol.md,
   * session 13).
   */
  readonly align?: boolean;
  /** Shapes only where two or more structures are painted (default true; see the file comment). */
  readonly severalOnly?: boolean;
  /** Slice spacing over in-plane spacing (default 1): converts an in-plane size into slices. */
  readonly sliceAspect?: number;
  /** The shape's edge, in voxels inside the section found on a painted slice (default 0; < 0 grows it). */
  readonly inset?: number;
  /** How far beyond the outer painted slices a shape reaches, as a share of the painted slices' spacing (default 0.5). */
  readonly extrapolation?: number;
}

/** One structure's painted cross-sections. */
export interface StructureShape {
  /** Painted slices, ascending, each with its signed distance over the plane (voxels; > 0 inside the shape) and its largest value. */
  readonly sections: readonly { readonly z: number; readonly distance: Float32Array; readonly deepest: number; readonly cx: number; readonly cy: number }[];
  /** Whether sections are moved to their centroids' interpolated position before interpolating (`align`). */
  readonly aligned: boolean;
  /** The plane's width (its height is the sections' size over it). */
  readonly width: number;
  /** Slices beyond an outer painted slice over which its shape shrinks to nothing. */
  readonly reach: number;
}

/** Whether the loop and `macl eval` fuse the interpolated shapes with the answer by default (docs/eval-protocol.md, session 13). */
export const interpolateByDefault = true;

/**
 * Per class index (0 and classes without a shape on every painted slice:
 * null) the shape of a `grid` volume's structure from its painted slices.
 */
export function structureShapes(slices: readonly PaintedSlice[], grid: ShapeGrid, classCount: number, options: SliceInterpolationOptions = {}): (StructureShape | null)[] {
  const aspect = options.sliceAspect ?? 1;
  const inset = options.inset ?? 0;
  const extrapolation = options.extrapolation ?? 0.5;
  if (!(aspect > 0) || !Number.isFinite(inset) || !(extrapolation >= 0)) throw new Error(`structureShapes: the slice aspect must be > 0, the inset finite and the extrapolation >= 0, got ${aspect}, ${inset} and ${extrapolation}.`);
  const { width, height } = grid;
  const plane = width * height;
  const sorted = [...slices].sort((a, b) => a.z - b.z);
  for (const slice of sorted) if (slice.labels.length !== plane) throw new Error(`structureShapes: slice ${slice.z} has ${slice.labels.length} voxels, the ${width}x${height} plane ${plane}.`);
  const shapes: (StructureShape | null)[] = new Array<StructureShape | null>(classCount).fill(null);
  // Decided before the sections are sought: one structure painted alone (the common whole-organ case) costs nothing.
  if ((options.severalOnly ?? true) && !slicesPaintSeveralStructures(sorted.map((slice) => slice.labels))) return shapes;
  const perSlice = sorted.map((slice) => paintedSections(slice.labels, width, height, classCount, options));
  for (let c = 1; c < classCount; c += 1) {
    const sections: { z: number; distance: Float32Array; deepest: number; cx: number; cy: number }[] = [];
    let complete = true;
    let extent = 0;
    for (let s = 0; s < sorted.length && complete; s += 1) {
      const labels = sorted[s]?.labels ?? [];
      let stroked = false;
      for (let i = 0; i < plane && !stroked; i += 1) stroked = labels[i] === c;
      if (!stroked) continue;
      const section = perSlice[s]?.[c] ?? null;
      if (section === null) complete = false;
      else {
        const member = (i: number): boolean => section[i] === 1;
        const distance = signedDistance(member, width, height, inset);
        let deepest = 0;
        for (const d of distance) deepest = Math.max(deepest, d);
        sections.push({ z: sorted[s]?.z ?? 0, distance, deepest, ...centroid(member, width, height) });
        extent = Math.max(extent, largerExtent(member, width, height));
      }
    }
    if (!complete || sections.length === 0) continue;
    const first = sections[0]?.z ?? 0;
    const last = sections[sections.length - 1]?.z ?? 0;
    const spacing = sections.length > 1 ? (last - first) / (sections.length - 1) : extent / aspect;
    shapes[c] = { sections, width, aligned: options.align ?? true, reach: Math.max(1, extrapolation * spacing) };
  }
  return shapes;
}

/**
 * The interpolated signed distance (voxels, > 0 inside) of `shape` on slice
 * `z`, over the plane, written into `out`; with `disagreement`, also how far
 * the two painted slices around `z` disagree there: |their difference|
 * weighted by 2 min(t, 1 - t) (1 halfway between them, 0 on them; 0 beyond
 * the outer ones), a measure of how uncertain the interpolation is.
 */
export function shapeDistanceOnSlice(shape: StructureShape, z: number, out: Float32Array, disagreement?: Float32Array): Float32Array {
  const { sections, reach } = shape;
  const firstSection = sections[0];
  const lastSection = sections[sections.length - 1];
  if (firstSection === undefined || lastSection === undefined) throw new Error('shapeDistanceOnSlice: a shape needs a painted slice.');
  if (out.length !== firstSection.distance.length || (disagreement !== undefined && disagreement.length !== out.length)) throw new Error(`shapeDistanceOnSlice: the plane has ${firstSection.distance.length} voxels, out ${out.length}.`);
  if (z <= firstSection.z || z >= lastSection.z) {
    const end = z <= firstSection.z ? firstSection : lastSection;
    // Shrinks by the deepest distance over `reach` slices: the cross-section is gone there.
    const shrink = (end.deepest * Math.abs(z - end.z)) / reach;
    for (let i = 0; i < out.length; i += 1) out[i] = (end.distance[i] ?? 0) - shrink;
    disagreement?.fill(0);
    return out;
  }
  let j = 0;
  while ((sections[j + 1]?.z ?? Infinity) <= z) j += 1;
  const below = sections[j] ?? firstSection;
  const above = sections[j + 1] ?? lastSection;
  const t = (z - below.z) / (above.z - below.z);
  const weight = 2 * Math.min(t, 1 - t);
  const width = shape.width;
  const height = out.length / width;
  // With alignment each section is read where it lies relative to the interpolated centroid.
  const shiftA = shape.aligned ? { x: Math.round(t * (above.cx - below.cx)), y: Math.round(t * (above.cy - below.cy)) } : { x: 0, y: 0 };
  const shiftB = shape.aligned ? { x: Math.round((t - 1) * (above.cx - below.cx)), y: Math.round((t - 1) * (above.cy - below.cy)) } : { x: 0, y: 0 };
  const far = -(width + height);
  const read = (distance: Float32Array, shift: { x: number; y: number }, i: number): number => {
    if (shift.x === 0 && shift.y === 0) return distance[i] ?? far;
    const x = (i % width) - shift.x;
    const y = Math.floor(i / width) - shift.y;
    return x < 0 || y < 0 || x >= width || y >= height ? far : (distance[x + y * width] ?? far);
  };
  for (let i = 0; i < out.length; i += 1) {
    const a = read(below.distance, shiftA, i);
    const b = read(above.distance, shiftB, i);
    out[i] = (1 - t) * a + t * b;
    if (disagreement !== undefined) disagreement[i] = weight * Math.abs(a - b);
  }
  return out;
}

/** Slices from `z` to the nearest painted slice of `shape`. */
export function slicesToNearestSection(shape: StructureShape, z: number): number {
  let nearest = Infinity;
  for (const section of shape.sections) nearest = Math.min(nearest, Math.abs(section.z - z));
  return nearest;
}

/** Signed chamfer distance to the shape's edge moved `inset` voxels inwards: > 0 inside, < 0 outside. */
function signedDistance(member: (i: number) => boolean, width: number, height: number, inset: number): Float32Array {
  const inside = chamferDistance(member, width, height, false);
  const outside = chamferDistance((i) => !member(i), width, height, false);
  const out = new Float32Array(width * height);
  // Pixels at the edge are 1 inside or 1 outside it: the edge itself lies between, at 0.
  for (let i = 0; i < out.length; i += 1) out[i] = (member(i) ? (inside[i] ?? 0) - 0.5 : 0.5 - (outside[i] ?? 0)) - inset;
  return out;
}

/** The larger side of the box around the pixels where `member` is true. */
function largerExtent(member: (i: number) => boolean, width: number, height: number): number {
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!member(x + y * width)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? 0 : Math.max(x1 - x0 + 1, y1 - y0 + 1);
}

/** The centroid of the pixels where `member` is true. */
function centroid(member: (i: number) => boolean, width: number, height: number): { cx: number; cy: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!member(x + y * width)) continue;
      n += 1;
      sx += x;
      sy += y;
    }
  }
  return n === 0 ? { cx: 0, cy: 0 } : { cx: sx / n, cy: sy / n };
}
