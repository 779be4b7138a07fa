import { describe, expect, it } from 'vitest';
import { keepWithinExtents, strokedSlicesOf, strokeExtents } from '../../../src-main/ml/strokeExtent';

const grid = { width: 40, height: 30, depth: 50 };
const plane = grid.width * grid.height;
const at = (x: number, y: number): number => y * grid.width + x;

/** An unlabelled slice with a horizontal stroke of `value` from x0 to x1 on row y. */
function strokeSlice(value: number, x0: number, x1: number, y: number): Int32Array {
  const labels = new Int32Array(plane).fill(-1);
  for (let x = x0; x <= x1; x += 1) labels[at(x, y)] = value;
  return labels;
}

describe('strokeExtents', () => {
  it('grows the strokes in-plane by half their larger extent, and along the slices by the spacing of the stroked slices', () => {
    // Class 1 stroked over x 10-19 (10 voxels) on slices 20, 25 and 30; background strokes do not count.
    const slices = [20, 25, 30].map((z) => ({ z, labels: strokeSlice(1, 10, 19, 12) }));
    const background = strokeSlice(0, 0, 39, 2);
    const [none, extent] = strokeExtents([...slices, { z: 40, labels: background }], grid, 2, { minMargin: 0 });
    expect(none).toBeNull();
    // In-plane: 10 voxels long, grown by 5 on every side; along: max(5, 5 slices between strokes).
    expect(extent).toEqual({ x0: 5, x1: 24, y0: 7, y1: 17, z0: 15, z1: 35 });
  });

  it('takes the slice margin from the in-plane size when one slice is painted, through the voxels aspect', () => {
    const [, extent] = strokeExtents([{ z: 25, labels: strokeSlice(1, 10, 29, 12) }], grid, 2, { minMargin: 0, sliceAspect: 2 });
    // 20 voxels long: 10 in-plane; 10 / 2 = 5 slices along.
    expect(extent).toMatchObject({ x0: 0, x1: 39, z0: 20, z1: 30 });
  });

  it('keeps a structure painted on slices spread over it whole, and a dab its neighbourhood', () => {
    // A large structure painted at the centres of 3 equal parts of slices 0-47: 8, 24, 40.
    const [, large, dab] = strokeExtents([8, 24, 40].map((z) => ({ z, labels: strokeSlice(1, 5, 34, 15) })).concat([{ z: 24, labels: strokeSlice(2, 20, 20, 5) }]), grid, 3);
    // 30 voxels long: 15 in-plane, 16 slices along (the spacing): the whole grid.
    expect(large).toEqual({ x0: 0, x1: 39, y0: 0, y1: 29, z0: 0, z1: 49 });
    expect(dab).toEqual({ x0: 16, x1: 24, y0: 1, y1: 9, z0: 20, z1: 28 });
  });

  it('refuses a slice of the wrong size and a negative growth', () => {
    expect(() => strokeExtents([{ z: 0, labels: new Int32Array(5) }], grid, 2)).toThrow(/slice 0/);
    expect(() => strokeExtents([], grid, 2, { growth: -1 })).toThrow(/growth/);
  });
});

describe('keepWithinExtents', () => {
  it('sets each class to background outside its own extent only, and leaves classes without strokes alone', () => {
    const small = { width: 6, height: 4, depth: 3 };
    const prediction = new Uint8Array(6 * 4 * 3);
    const index = (x: number, y: number, z: number): number => (z * 4 + y) * 6 + x;
    prediction[index(1, 1, 1)] = 1; // inside class 1's box
    prediction[index(5, 3, 1)] = 1; // outside it
    prediction[index(1, 1, 0)] = 1; // a slice outside it
    prediction[index(5, 3, 2)] = 2; // class 2 has no extent: kept
    const box = { x0: 0, x1: 2, y0: 0, y1: 2, z0: 1, z1: 2 };
    const { labels, removed } = keepWithinExtents(prediction, [null, box, null], small);
    expect([labels[index(1, 1, 1)], labels[index(5, 3, 1)], labels[index(1, 1, 0)], labels[index(5, 3, 2)]]).toEqual([1, 0, 0, 2]);
    expect(removed).toEqual([0, 2, 0]);
    expect(prediction[index(5, 3, 1)]).toBe(1); // a new array
  });

  it('places a streamed slice by its index', () => {
    const slice = new Uint8Array(6 * 4).fill(1);
    const box = { x0: 0, x1: 5, y0: 0, y1: 3, z0: 2, z1: 2 };
    expect(keepWithinExtents(slice, [null, box], { width: 6, height: 4, depth: 1 }, 2).labels.every((v) => v === 1)).toBe(true);
    expect(keepWithinExtents(slice, [null, box], { width: 6, height: 4, depth: 1 }, 3).labels.every((v) => v === 0)).toBe(true);
  });

  it('reads the stroked slices of a label volume', () => {
    const volume = new Int32Array(plane * grid.depth).fill(-1);
    volume.set(strokeSlice(1, 3, 4, 6), 7 * plane);
    const [, extent] = strokeExtents(strokedSlicesOf(volume, [7], grid), grid, 2);
    expect(extent).toEqual({ x0: 0, x1: 8, y0: 2, y1: 10, z0: 3, z1: 11 });
  });
});
