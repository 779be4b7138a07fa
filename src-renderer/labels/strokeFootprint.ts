/**
 * Which voxels one brush segment covers. The brush is a disk of radius r in
 * the view plane, swept from one pointer sample to the next (a capsule), so a
 * fast drag leaves no gaps. A voxel is covered when its centre, projected on
 * the plane, lies within r of the swept segment, and the centre is within
 * half the voxel's own extent along the plane normal of the plane:
 * -h <= d < h. That slab is one voxel thick for any plane, so painting works
 * the same in axial, sagittal, coronal and oblique (MPR) views; the half-open
 * bound keeps a plane exactly between two slices from painting both.
 *
 * Only the bounding box of the capsule is visited, and in each row of it only
 * the span the slab allows, so the cost follows the brush, not the volume.
 */
import type { GridFrame } from './labelGrid';
import { dot, normalize, type Vec3 } from '../../src-main/shared/geometry/vec3';

/** Half the extent of one voxel along unit normal `n`. */
export function slabHalfThickness(frame: GridFrame, n: Vec3): number {
  const [a, b, c] = frame.steps;
  return 0.5 * (Math.abs(dot(a, n)) + Math.abs(dot(b, n)) + Math.abs(dot(c, n)));
}

/**
 * Calls `visit` with the flat index of every voxel the brush covers when it
 * moves from `from` to `to` (world mm; `to` is projected onto the plane
 * through `from`), in increasing index order, each voxel once.
 */
export function forEachStrokeVoxel(
  frame: GridFrame,
  from: Vec3,
  to: Vec3,
  radiusMm: number,
  planeNormal: Vec3,
  visit: (index: number) => void,
): void {
  if (!(radiusMm >= 0) || !Number.isFinite(radiusMm)) throw new RangeError(`Brush radius ${radiusMm} mm is not a size.`);
  const n = normalize(planeNormal);
  const h = slabHalfThickness(frame, n);
  const lift = dot([to[0] - from[0], to[1] - from[1], to[2] - from[2]], n);
  const end: Vec3 = [to[0] - lift * n[0], to[1] - lift * n[1], to[2] - lift * n[2]];
  const seg: Vec3 = [end[0] - from[0], end[1] - from[1], end[2] - from[2]];
  const segLength = Math.hypot(seg[0], seg[1], seg[2]);
  const along: Vec3 = segLength > 1e-9 ? [seg[0] / segLength, seg[1] / segLength, seg[2] / segLength] : [0, 0, 0];
  const r2 = radiusMm * radiusMm;

  const box = indexBox(frame, from, end, radiusMm, n, h);
  if (box === null) return;
  const [a, b, c] = frame.steps;
  const o = frame.grid.originMm;
  const { nx, ny } = frame;
  const aDotN = dot(a, n);

  for (let k = box[2][0]; k <= box[2][1]; k++) {
    for (let j = box[1][0]; j <= box[1][1]; j++) {
      // World offset from the stroke start of voxel (0, j, k).
      const wx0 = o[0] + j * b[0] + k * c[0] - from[0];
      const wy0 = o[1] + j * b[1] + k * c[1] - from[1];
      const wz0 = o[2] + j * b[2] + k * c[2] - from[2];
      let iLo = box[0][0];
      let iHi = box[0][1];
      const d0 = wx0 * n[0] + wy0 * n[1] + wz0 * n[2];
      if (Math.abs(aDotN) > 1e-12) {
        const t1 = (-h - d0) / aDotN;
        const t2 = (h - d0) / aDotN;
        iLo = Math.max(iLo, Math.ceil(Math.min(t1, t2) - 1e-6));
        iHi = Math.min(iHi, Math.floor(Math.max(t1, t2) + 1e-6));
      }
      const rowBase = nx * (j + ny * k);
      for (let i = iLo; i <= iHi; i++) {
        const wx = wx0 + i * a[0];
        const wy = wy0 + i * a[1];
        const wz = wz0 + i * a[2];
        const d = wx * n[0] + wy * n[1] + wz * n[2];
        if (d < -h || d >= h) continue;
        // Squared in-plane distance from the stroke start, then to the segment.
        let dist2 = wx * wx + wy * wy + wz * wz - d * d;
        if (segLength > 0) {
          const s = wx * along[0] + wy * along[1] + wz * along[2];
          if (s >= segLength) dist2 += segLength * segLength - 2 * segLength * s;
          else if (s > 0) dist2 -= s * s;
        }
        if (dist2 <= r2) visit(rowBase + i);
      }
    }
  }
}

type IndexRange = [number, number];

/**
 * The integer index box (clamped to the grid) holding the capsule and slab:
 * along index axis a, the shape's extent is the segment's plus r times the
 * in-plane length of the inverse row plus h times its normal component.
 */
function indexBox(frame: GridFrame, from: Vec3, end: Vec3, radius: number, n: Vec3, h: number): [IndexRange, IndexRange, IndexRange] | null {
  const sizes = [frame.nx, frame.ny, frame.nz];
  const o = frame.grid.originMm;
  const out: IndexRange[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const e = frame.inverse[axis] as Vec3;
    const en = dot(e, n);
    const inPlane = Math.sqrt(Math.max(0, dot(e, e) - en * en));
    const u0 = e[0] * (from[0] - o[0]) + e[1] * (from[1] - o[1]) + e[2] * (from[2] - o[2]);
    const u1 = e[0] * (end[0] - o[0]) + e[1] * (end[1] - o[1]) + e[2] * (end[2] - o[2]);
    const reach = radius * inPlane + h * Math.abs(en);
    const lo = Math.max(0, Math.ceil(Math.min(u0, u1) - reach - 1e-6));
    const hi = Math.min((sizes[axis] as number) - 1, Math.floor(Math.max(u0, u1) + reach + 1e-6));
    if (lo > hi) return null;
    out.push([lo, hi]);
  }
  return out as [IndexRange, IndexRange, IndexRange];
}
