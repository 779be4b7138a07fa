import { describe, expect, it } from 'vitest';
import { fuseWithShapes } from '../../../src-main/ml/shapeFusion';
import { structureShapes } from '../../../src-main/ml/sliceInterpolation';
import { outlinedDiscs } from './outlinedStrokes';

const grid = { width: 48, height: 40, depth: 9 };
const plane = grid.width * grid.height;
const at = (z: number, x: number, y: number): number => z * plane + x + y * grid.width;

/** A disc of radius 6 at (24, 20) outlined on slices 2 and 6, as class 1 of 3 (class 2 never painted). */
function discShapes() {
  const disc = outlinedDiscs(grid.width, grid.height, [{ c: 1, cx: 24, cy: 20, r: 6 }]);
  return structureShapes([{ z: 2, labels: disc }, { z: 6, labels: disc }], grid, 3, { severalOnly: false });
}

describe('fuseWithShapes', () => {
  it('sets the shape deeper than the band to its structure where the answer missed it, and leaves the band to the answer', () => {
    const { labels, gained } = fuseWithShapes(new Uint8Array(plane * grid.depth), discShapes(), grid, 0, { margin: 1 });
    // The section reaches radius ~7.5: 2 voxels in is the structure, the outer voxel (within the band) stays as answered.
    expect(labels[at(4, 24, 20)]).toBe(1);
    expect(labels[at(4, 24 + 5, 20)]).toBe(1);
    expect(labels[at(4, 24 + 7, 20)]).toBe(0);
    expect(gained[1]).toBeGreaterThan(0);
  });

  it('drops the structure further outside its shape than the band, keeps it within the band, and leaves other classes alone', () => {
    const answer = new Uint8Array(plane * grid.depth);
    answer[at(4, 24 + 8, 20)] = 1;
    answer[at(4, 24 + 15, 20)] = 1;
    answer[at(4, 5, 5)] = 2;
    const { labels, lost } = fuseWithShapes(answer, discShapes(), grid, 0, { margin: 1 });
    expect(labels[at(4, 24 + 8, 20)]).toBe(1);
    expect(labels[at(4, 24 + 15, 20)]).toBe(0);
    expect(labels[at(4, 5, 5)]).toBe(2);
    expect(lost[1]).toBe(1);
  });

  it('widens the band away from the painted slices with growth', () => {
    const answer = new Uint8Array(plane * grid.depth);
    // Slice 4 is 2 slices from the painted ones: growth 2 widens the band there by 4 voxels.
    answer[at(4, 24 + 11, 20)] = 1;
    answer[at(2, 24 + 11, 20)] = 1;
    const { labels } = fuseWithShapes(answer, discShapes(), grid, 0, { margin: 1, growth: 2 });
    expect(labels[at(4, 24 + 11, 20)]).toBe(1);
    expect(labels[at(2, 24 + 11, 20)]).toBe(0);
  });

  it('fuses a slab of slices as the whole volume does on them', () => {
    const shapes = discShapes();
    const answer = new Uint8Array(plane * grid.depth);
    for (let i = 0; i < answer.length; i += 7) answer[i] = 1;
    const whole = fuseWithShapes(answer, shapes, grid, 0).labels;
    const slab = fuseWithShapes(answer.slice(3 * plane, 5 * plane), shapes, { ...grid, depth: 2 }, 3).labels;
    expect(slab).toEqual(whole.slice(3 * plane, 5 * plane));
  });

  it('changes nothing without shapes, and refuses a wrong grid', () => {
    const answer = new Uint8Array(plane * grid.depth).fill(1);
    expect(fuseWithShapes(answer, [null, null], grid).labels).toEqual(answer);
    expect(() => fuseWithShapes(new Uint8Array(5), [null, null], grid)).toThrow(/needs/);
  });
});
