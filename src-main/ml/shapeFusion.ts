/**
 * The answer fused with each structure's interpolated shape
 * (ml/sliceInterpolation.ts) by a band rule: deeper than `band` voxels inside
 * a structure's shape a voxel is that structure, further than `band` outside
 * it the structure's answer becomes background, and within the band the
 * answer (the network's or the pixel classifier's) decides. The shape is
 * what the user drew on a painted slice and a guess between them, so the
 * band is `margin` voxels on a painted slice and grows by `growth` voxels per
 * slice (in-plane voxels, through the voxels' aspect) away from the nearest
 * one. Structures without a shape are left as answered.
 */
import { shapeDistanceOnSlice, slicesToNearestSection, type ShapeGrid, type StructureShape } from './sliceInterpolation';

export interface ShapeFusionOptions {
  /** The band's half-width on a painted slice, in voxels (default defaultShapeBand.margin). */
  readonly margin?: number;
  /** How much the band widens per slice away from the nearest painted slice, in voxels (default defaultShapeBand.growth). */
  readonly growth?: number;
  /** Slice spacing over in-plane spacing (default 1). */
  readonly sliceAspect?: number;
  /** The band widened by this share of the structure's depth (its sections' deepest signed distance): the answer keeps the edge of a large structure, which it finds well, while a small one's shape decides nearly all of it (default defaultShapeBand.relative). */
  readonly relative?: number;
  /** How much the band widens where the two painted slices around a voxel disagree, per voxel of their signed distances' difference (default defaultShapeBand.disagreement). */
  readonly disagreement?: number;
}

/** The band measured best on the real suite (docs/eval-protocol.md, session 13). */
export const defaultShapeBand = { margin: 1, growth: 0, disagreement: 0, relative: 0 } as const;

/**
 * The class map `prediction` (`grid.depth` slices starting at slice
 * `firstSlice` of the volume the shapes are on) fused with `shapes` (per
 * class index, null: no shape), in a new array; with the voxels each class
 * gained and lost.
 */
export function fuseWithShapes(prediction: Uint8Array, shapes: readonly (StructureShape | null)[], grid: ShapeGrid, firstSlice = 0, options: ShapeFusionOptions = {}): { readonly labels: Uint8Array; readonly gained: readonly number[]; readonly lost: readonly number[] } {
  const { width, height, depth } = grid;
  const plane = width * height;
  if (prediction.length !== plane * depth) throw new Error(`fuseWithShapes: the grid ${width}x${height}x${depth} needs ${plane * depth} voxels, got ${prediction.length}.`);
  const margin = options.margin ?? defaultShapeBand.margin;
  const growth = options.growth ?? defaultShapeBand.growth;
  const aspect = options.sliceAspect ?? 1;
  const disagreement = options.disagreement ?? defaultShapeBand.disagreement;
  const relative = options.relative ?? defaultShapeBand.relative;
  if (!(margin >= 0) || !(growth >= 0) || !(aspect > 0) || !(disagreement >= 0) || !(relative >= 0)) throw new Error(`fuseWithShapes: the margin and growth must be >= 0 and the aspect > 0, got ${margin}, ${growth} and ${aspect}.`);
  const labels = new Uint8Array(prediction);
  const gained = new Array<number>(shapes.length).fill(0);
  const lost = new Array<number>(shapes.length).fill(0);
  const shaped = shapes.flatMap((shape, c) => (shape === null || c === 0 ? [] : [{ c, shape }]));
  if (shaped.length === 0) return { labels, gained, lost };
  const fields = shaped.map(() => new Float32Array(plane));
  const spreads = shaped.map(() => new Float32Array(plane));
  const bands = new Float64Array(shaped.length);
  for (let s = 0; s < depth; s += 1) {
    const z = firstSlice + s;
    shaped.forEach(({ shape }, j) => {
      shapeDistanceOnSlice(shape, z, fields[j] as Float32Array, spreads[j] as Float32Array);
      bands[j] = margin + relative * shapeDepth(shape) + growth * aspect * slicesToNearestSection(shape, z);
    });
    const base = s * plane;
    for (let i = 0; i < plane; i += 1) {
      const answered = labels[base + i] ?? 0;
      // The structure deepest inside its shape (beyond its band) claims the voxel.
      let claim = -1;
      let depthInside = 0;
      let answeredOutside = false;
      for (let j = 0; j < shaped.length; j += 1) {
        const d = (fields[j] as Float32Array)[i] ?? 0;
        const band = (bands[j] ?? 0) + disagreement * ((spreads[j] as Float32Array)[i] ?? 0);
        const c = shaped[j]?.c ?? 0;
        if (d > band && d - band > depthInside) {
          claim = c;
          depthInside = d - band;
        }
        if (c === answered && d < -band) answeredOutside = true;
      }
      const fused = claim >= 0 ? claim : answeredOutside ? 0 : answered;
      if (fused === answered) continue;
      labels[base + i] = fused;
      lost[answered] = (lost[answered] ?? 0) + 1;
      gained[fused] = (gained[fused] ?? 0) + 1;
    }
  }
  return { labels, gained, lost };
}

/** The deepest signed distance over a shape's painted sections (voxels): about its half-width. */
function shapeDepth(shape: StructureShape): number {
  return shape.sections.reduce((deepest, section) => Math.max(deepest, section.deepest), 0);
}
