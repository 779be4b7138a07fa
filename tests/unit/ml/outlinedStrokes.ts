/**
 * Strokes as the simulated radiologist paints them (eval/scribble.ts): a
 * 3-voxel-wide line along a structure's axis in its core and a background
 * band 2 to 4 voxels outside it, for hand-made discs on one slice.
 */

/** A disc on a slice: its class, centre and radius. */
export interface Disc {
  readonly c: number;
  readonly cx: number;
  readonly cy: number;
  readonly r: number;
}

/**
 * The labels (-1 unlabelled, 0 background, c a stroke of class c) of a
 * `width` x `height` slice holding `discs`: each one's line along x through
 * its centre, within r - 2 of it; with `outline`, the band r + 2 <= d < r + 4
 * round the discs' union wherever no disc lies within 2 voxels.
 */
export function outlinedDiscs(width: number, height: number, discs: readonly Disc[], outline = true): Int32Array {
  const labels = new Int32Array(width * height).fill(-1);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const distances = discs.map((disc) => Math.hypot(x - disc.cx, y - disc.cy) - disc.r);
      const nearest = Math.min(...distances);
      if (outline && nearest >= 2 && nearest < 4) labels[x + y * width] = 0;
      discs.forEach((disc, j) => {
        if (Math.abs(y - disc.cy) <= 1 && (distances[j] ?? 0) <= -2) labels[x + y * width] = disc.c;
      });
    }
  }
  return labels;
}
