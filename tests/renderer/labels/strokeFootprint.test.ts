import { describe, expect, it } from 'vitest';
import { gridFrame, indexToWorld, type LabelGrid } from '../../../src-renderer/labels/labelGrid';
import { forEachStrokeVoxel } from '../../../src-renderer/labels/strokeFootprint';
import type { Vec3 } from '../../../src-main/shared/geometry/vec3';
import { axialGrid, obliqueGrid, referenceStrokeVoxels, voxelCentre } from './labelFixtures';

function footprint(grid: LabelGrid, from: Vec3, to: Vec3, radius: number, normal: Vec3): number[] {
  const out: number[] = [];
  forEachStrokeVoxel(gridFrame(grid), from, to, radius, normal, (index) => out.push(index));
  return out;
}

/** A point on the voxel plane through the centre of voxel (i, j, k), nudged within the plane. */
function pointNear(grid: LabelGrid, index: Vec3, inPlaneOffset: Vec3): Vec3 {
  const centre = voxelCentre(grid, index[0], index[1], index[2]);
  return [centre[0] + inPlaneOffset[0], centre[1] + inPlaneOffset[1], centre[2] + inPlaneOffset[2]];
}

describe('brush footprint', () => {
  const grid = axialGrid();
  const cases: Array<{ plane: string; normal: Vec3; offset: Vec3 }> = [
    { plane: 'axial', normal: [0, 0, 1], offset: [0.31, -0.17, 0] },
    { plane: 'sagittal', normal: [1, 0, 0], offset: [0, 0.23, 0.71] },
    { plane: 'coronal', normal: [0, 1, 0], offset: [-0.37, 0, 1.13] },
  ];

  for (const { plane, normal, offset } of cases) {
    it(`paints exactly the disk in the ${plane} plane (against a brute-force reference)`, () => {
      const from = pointNear(grid, [20, 18, 12], offset);
      const result = footprint(grid, from, from, 3.3, normal);
      expect(result.length).toBeGreaterThan(10);
      expect(result).toEqual(referenceStrokeVoxels(grid, from, from, 3.3, normal));
    });

    it(`sweeps the disk between samples in the ${plane} plane`, () => {
      const from = pointNear(grid, [8, 9, 6], offset);
      const far: Vec3 = [from[0] + (normal[0] === 1 ? 0 : 17.3), from[1] + (normal[1] === 1 ? 0 : 9.1), from[2] + (normal[2] === 1 ? 0 : 21.7)];
      expect(footprint(grid, from, far, 2.1, normal)).toEqual(referenceStrokeVoxels(grid, from, far, 2.1, normal));
    });
  }

  it('paints one voxel-thick slab in an oblique plane of an oblique, sheared grid', () => {
    const tilted = obliqueGrid();
    const normal: Vec3 = [0.3, -0.5, 0.81];
    const from = pointNear(tilted, [15, 14, 12], [0.2, 0.1, -0.05]);
    const to: Vec3 = [from[0] + 6.1, from[1] + 4.3, from[2] - 0.4];
    const result = footprint(tilted, from, to, 3.7, normal);
    expect(result.length).toBeGreaterThan(30);
    expect(result).toEqual(referenceStrokeVoxels(tilted, from, to, 3.7, normal));
  });

  it('visits voxels in increasing index order and clips at the volume border', () => {
    const corner = voxelCentre(grid, 0, 0, 0);
    const result = footprint(grid, corner, corner, 4.05, [0, 0, 1]);
    expect(result).toEqual([...result].sort((a, b) => a - b));
    expect(result).toEqual(referenceStrokeVoxels(grid, corner, corner, 4.05, [0, 0, 1]));
    expect(footprint(grid, [500, 500, 500], [500, 500, 500], 4, [0, 0, 1])).toEqual([]);
  });

  it('leaves no gap along a fast drag: every voxel on the line between two far samples is painted', () => {
    const frame = gridFrame(grid);
    const from = voxelCentre(grid, 2, 3, 10);
    const to = voxelCentre(grid, 37, 31, 10);
    const painted = new Set(footprint(grid, from, to, 1, [0, 0, 1]));
    for (let t = 0; t <= 1; t += 0.01) {
      const point: Vec3 = [from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1]), from[2]];
      const i = Math.round((point[0] - grid.originMm[0]) / 0.8);
      const j = Math.round((point[1] - grid.originMm[1]) / 0.8);
      expect(painted.has(i + 40 * (j + 36 * 10))).toBe(true);
    }
    // Two disks alone (no interpolation) would leave the middle empty.
    const ends = new Set([...footprint(grid, from, from, 1, [0, 0, 1]), ...footprint(grid, to, to, 1, [0, 0, 1])]);
    expect(painted.size).toBeGreaterThan(ends.size * 5);
    expect(indexToWorld(frame, [2, 3, 10])).toEqual(from);
  });

  it('refuses a radius that is not a size', () => {
    const point = voxelCentre(grid, 5, 5, 5);
    expect(() => footprint(grid, point, point, Number.NaN, [0, 0, 1])).toThrow(RangeError);
  });
});
