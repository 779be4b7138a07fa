import { describe, expect, it } from 'vitest';
import { keepStrokeConnected } from '../../../src-main/ml/keepStrokeConnected';

const grid = { width: 10, height: 8, depth: 4 };
const at = (x: number, y: number, z: number): number => (z * grid.height + y) * grid.width + x;

/** Sets `value` on the box [x0, x1] x [y0, y1] x [z0, z1]. */
function fill(volume: Uint8Array | Int32Array, value: number, [x0, x1]: [number, number], [y0, y1]: [number, number], [z0, z1]: [number, number]): void {
  for (let z = z0; z <= z1; z += 1) for (let y = y0; y <= y1; y += 1) for (let x = x0; x <= x1; x += 1) volume[at(x, y, z)] = value;
}

describe('keepStrokeConnected', () => {
  it('drops the islands of a structure that no stroke of it touches, across slices, and keeps what the strokes reach', () => {
    const prediction = new Uint8Array(grid.width * grid.height * grid.depth);
    // Structure 1: a block over slices 0-2 (stroked on slice 0 only) and an island on slice 3 far from it.
    fill(prediction, 1, [1, 3], [1, 3], [0, 2]);
    fill(prediction, 1, [7, 8], [5, 6], [3, 3]);
    // Structure 2: one block, stroked.
    fill(prediction, 2, [6, 8], [1, 2], [0, 1]);
    const strokes = new Int32Array(prediction.length).fill(-1);
    strokes[at(2, 2, 0)] = 1;
    strokes[at(7, 1, 1)] = 2;
    strokes[at(0, 0, 0)] = 0;

    const { labels, removed } = keepStrokeConnected(prediction, strokes, grid, 3);

    expect(labels[at(2, 2, 2)]).toBe(1); // two slices away from the stroke, connected through slice 1
    expect(labels[at(7, 5, 3)]).toBe(0); // the island
    expect(labels[at(8, 2, 0)]).toBe(2);
    expect(removed).toEqual([0, 4, 0]);
    expect(prediction[at(7, 5, 3)]).toBe(1); // the input is not changed
  });

  it('treats regions that touch only at an edge (not a face) as separate', () => {
    const prediction = new Uint8Array(grid.width * grid.height * grid.depth);
    prediction[at(2, 2, 1)] = 1;
    prediction[at(3, 3, 1)] = 1; // diagonal neighbour in the slice
    const strokes = new Int32Array(prediction.length).fill(-1);
    strokes[at(2, 2, 1)] = 1;
    const { labels } = keepStrokeConnected(prediction, strokes, grid, 2);
    expect(labels[at(2, 2, 1)]).toBe(1);
    expect(labels[at(3, 3, 1)]).toBe(0);
  });

  it('leaves a structure as predicted when none of its strokes is predicted as it', () => {
    const prediction = new Uint8Array(grid.width * grid.height * grid.depth);
    fill(prediction, 1, [5, 6], [5, 6], [2, 3]);
    const strokes = new Int32Array(prediction.length).fill(-1);
    strokes[at(1, 1, 0)] = 1; // predicted background there
    const { labels, removed } = keepStrokeConnected(prediction, strokes, grid, 2);
    expect(Array.from(labels)).toEqual(Array.from(prediction));
    expect(removed).toEqual([0, 0]);
  });

  it('filters a structure stroked elsewhere (outside this grid) even with no seed of its own here', () => {
    const prediction = new Uint8Array(grid.width * grid.height * grid.depth);
    fill(prediction, 1, [5, 6], [5, 6], [2, 3]);
    const strokes = new Int32Array(prediction.length).fill(-1);
    const { labels, removed } = keepStrokeConnected(prediction, strokes, grid, 2, [1]);
    expect(labels.every((v) => v === 0)).toBe(true);
    expect(removed).toEqual([0, 8]);
    // Class 0 and classes beyond the count are ignored.
    expect(Array.from(keepStrokeConnected(prediction, strokes, grid, 2, [0, 5]).labels)).toEqual(Array.from(prediction));
  });

  it('does not grow one structure through another', () => {
    const prediction = new Uint8Array(grid.width * grid.height * grid.depth);
    fill(prediction, 1, [0, 2], [0, 0], [0, 0]);
    fill(prediction, 2, [3, 3], [0, 0], [0, 0]);
    fill(prediction, 1, [4, 6], [0, 0], [0, 0]);
    const strokes = new Int32Array(prediction.length).fill(-1);
    strokes[at(0, 0, 0)] = 1;
    strokes[at(3, 0, 0)] = 2;
    const { labels } = keepStrokeConnected(prediction, strokes, grid, 3);
    expect([0, 1, 2, 3, 4, 5, 6].map((x) => labels[at(x, 0, 0)])).toEqual([1, 1, 1, 2, 0, 0, 0]);
  });

  it('names the mismatch when the arrays do not fit the grid', () => {
    expect(() => keepStrokeConnected(new Uint8Array(5), new Int32Array(5), grid, 2)).toThrow(/10x8x4 needs 320 voxels/);
  });
});
