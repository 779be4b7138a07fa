/**
 * 2-D shape measures for the scribble simulation: a structure's major axis
 * (its distance maps come from ml/chamferDistance.ts).
 */

/** Centroid and the unit direction of the major axis (from second moments) of the pixels where `member` is true. */
export function principalAxis(member: (i: number) => boolean, width: number, height: number): { cx: number; cy: number; ux: number; uy: number } | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) if (member(x + y * width)) {
    n += 1;
    sx += x;
    sy += y;
  }
  if (n === 0) return null;
  const cx = sx / n;
  const cy = sy / n;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) if (member(x + y * width)) {
    xx += (x - cx) ** 2;
    yy += (y - cy) ** 2;
    xy += (x - cx) * (y - cy);
  }
  const angle = 0.5 * Math.atan2(2 * xy, xx - yy);
  return { cx, cy, ux: Math.cos(angle), uy: Math.sin(angle) };
}
