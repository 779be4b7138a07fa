/**
 * The slab of a volume that a segmentation task is about: the slices from the
 * lowest to the highest slice with a structure's stroke, widened on both
 * sides by a quarter of that extent and at least 8 slices (the margins of the
 * in-plane box, strokeBox.ts), inside the volume.
 *
 * Batch-norm recalibration (bnRecalibration.ts) pools its statistics over
 * these slices instead of the whole volume: on a whole head (Colin27, 181
 * slices) the slices above the vertex and through the face and neck weigh
 * as much as those through the brain, and versions recalibrated on all of
 * them ended 4-6 Dice points below the same weights recalibrated on the
 * strokes' slab (docs/benchmarks.md, session 11).
 */

/** Inclusive first and last slice. */
export type SliceRange = readonly [number, number];

/** How far the slab reaches past the strokes. */
export interface StrokeSlabOptions {
  /** Added on both sides, as a share of the stroked slices' extent (default 0.25). */
  readonly margin?: number;
  /** Added on both sides at least, in slices (default 8). */
  readonly minMargin?: number;
}

/**
 * The slab around `structureSlices` (slices holding a structure's stroke, any
 * order) in a volume of `depth` slices; `fallback` (e.g. slices with only
 * background strokes) when there are none; null when both are empty.
 */
export function strokeSlab(structureSlices: readonly number[], depth: number, fallback: readonly number[] = [], options: StrokeSlabOptions = {}): SliceRange | null {
  const margin = options.margin ?? 0.25;
  const minMargin = options.minMargin ?? 8;
  if (!(margin >= 0) || !(minMargin >= 0)) throw new Error(`strokeSlab: margins must be >= 0, got ${margin} and ${minMargin}.`);
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`strokeSlab: depth must be a positive integer, got ${depth}.`);
  const slices = structureSlices.length > 0 ? structureSlices : fallback;
  if (slices.length === 0) return null;
  const low = Math.min(...slices);
  const high = Math.max(...slices);
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high >= depth) throw new Error(`strokeSlab: slices must lie in 0..${depth - 1}, got ${low}..${high}.`);
  const grow = Math.max(minMargin, Math.round((high - low) * margin));
  return [Math.max(0, low - grow), Math.min(depth - 1, high + grow)];
}
