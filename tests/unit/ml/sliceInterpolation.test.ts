import { describe, expect, it } from 'vitest';
import { shapeDistanceOnSlice, structureShapes } from '../../../src-main/ml/sliceInterpolation';
import { outlinedDiscs } from './outlinedStrokes';

const grid = { width: 48, height: 40, depth: 12 };
const plane = grid.width * grid.height;
const at = (x: number, y: number): number => x + y * grid.width;

describe('structureShapes', () => {
  it('interpolates two discs of different radius to the intermediate radius halfway', () => {
    // Radius 4 on slice 0 and 10 on slice 4: sections reach about 1.5 voxels further (up to the outline).
    const slices = [{ z: 0, labels: outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 4 }]) }, { z: 4, labels: outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 10 }]) }];
    const [none, disc] = structureShapes(slices, grid, 2, { severalOnly: false });
    expect(none).toBeNull();
    if (disc === null || disc === undefined) throw new Error('no shape');
    expect(disc.sections.map((s) => s.z)).toEqual([0, 4]);
    const halfway = shapeDistanceOnSlice(disc, 2, new Float32Array(plane));
    // Halfway the radius is about (5.5 + 11.5) / 2 = 8.5.
    expect(halfway[at(24 + 7, 20)]).toBeGreaterThan(0);
    expect(halfway[at(24 + 10, 20)]).toBeLessThan(0);
    const painted = shapeDistanceOnSlice(disc, 0, new Float32Array(plane));
    expect(painted[at(24 + 4, 20)]).toBeGreaterThan(0);
    expect(painted[at(24 + 7, 20)]).toBeLessThan(0);
  });

  it('moves the sections to their centroids interpolated position, so an oblique structure keeps its width between painted slices', () => {
    const slices = [{ z: 0, labels: outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 12, cy: 20, r: 4 }]) }, { z: 4, labels: outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 34, cy: 20, r: 4 }]) }];
    const inside = (align: boolean, x: number): boolean => {
      const shape = structureShapes(slices, grid, 2, { severalOnly: false, align })[1];
      if (shape === null || shape === undefined) throw new Error('no shape');
      return (shapeDistanceOnSlice(shape, 2, new Float32Array(plane))[at(x, 20)] ?? 0) > 0;
    };
    // Halfway the disc lies at x = 23 with its radius; without the alignment the two discs, 22 voxels apart, leave nothing there.
    expect(inside(true, 23)).toBe(true);
    expect(inside(true, 23 + 4)).toBe(true);
    expect(inside(true, 23 + 7)).toBe(false);
    expect(inside(false, 23)).toBe(false);
  });

  it('leaves a structure painted with lines alone, beside an outlined one', () => {
    const outlined = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 14, cy: 20, r: 6 }]);
    const lines = outlinedDiscs(grid.width, grid.height, [{ c: 2, cx: 34, cy: 20, r: 6 }], false);
    const both = outlined.map((v, i) => (v === -1 ? (lines[i] ?? -1) : v));
    const [, first, second] = structureShapes([{ z: 3, labels: both }, { z: 7, labels: both }], grid, 3);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
  });

  it('gives no shape to a structure outlined on some of its painted slices only', () => {
    const outlined = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }]);
    const lines = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }], false);
    expect(structureShapes([{ z: 2, labels: outlined }, { z: 6, labels: lines }], grid, 2, { severalOnly: false })[1]).toBeNull();
  });

  it('shrinks the shape beyond the outer painted slices, to nothing over half their spacing', () => {
    const disc = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }]);
    const [, shape] = structureShapes([{ z: 2, labels: disc }, { z: 6, labels: disc }], grid, 2, { severalOnly: false });
    if (shape === null || shape === undefined) throw new Error('no shape');
    expect(shape.reach).toBe(2);
    const area = (z: number): number => shapeDistanceOnSlice(shape, z, new Float32Array(plane)).reduce((n, d) => n + (d > 0 ? 1 : 0), 0);
    expect(area(7)).toBeGreaterThan(0);
    expect(area(7)).toBeLessThan(area(6));
    expect(area(8)).toBe(0);
    expect(area(0)).toBe(0);
  });

  it('reaches as deep as half the section is wide when one slice is painted, through the voxels aspect', () => {
    const [, shape] = structureShapes([{ z: 5, labels: outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }]) }], grid, 2, { sliceAspect: 2, severalOnly: false });
    // The section is 15 voxels across (radius 6 and the gap to the outline): half of 15 / 2 slices.
    expect(shape?.reach).toBeCloseTo(15 / 2 / 2, 5);
  });

  it('gives no shape where one structure is painted alone, unless asked', () => {
    const disc = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }]);
    const slices = [{ z: 2, labels: disc }, { z: 6, labels: disc }];
    expect(structureShapes(slices, grid, 3)[1]).toBeNull();
    expect(structureShapes(slices, grid, 3, { severalOnly: false })[1]).not.toBeNull();
    // A second structure on another slice: both get shapes.
    const other = outlinedDiscs(grid.width, grid.height, [{ c: 2, cx: 24, cy: 20, r: 6 }]);
    expect(structureShapes([...slices, { z: 9, labels: other }], grid, 3).every((shape, c) => (c === 0 ? shape === null : shape !== null))).toBe(true);
  });

  it('refuses a slice of the wrong size', () => {
    expect(() => structureShapes([{ z: 0, labels: new Int32Array(10) }], grid, 2)).toThrow(/plane/);
  });
});
