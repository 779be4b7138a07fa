import { describe, expect, it } from 'vitest';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { planStrokes, spreadEvenly } from '../../e2e/support/loopPage';
import type { PhantomSeries } from '../../e2e/support/phantomSeries';

const phantom: PhantomSeries = { ...generatePhantom({ size: 96, slices: 16, seed: 11 }), folder: '', description: 'stroke plan' };

/** Every voxel on the straight paths of `paths` (rows or columns) on slice k. */
function voxelsOf(paths: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, k: number): number[] {
  const plane = phantom.width * phantom.height;
  const voxels: number[] = [];
  for (const [[i0, j0], [i1, j1]] of paths as Array<[[number, number], [number, number]]>) {
    for (let j = Math.min(j0, j1); j <= Math.max(j0, j1); j++) {
      for (let i = Math.min(i0, i1); i <= Math.max(i0, i1); i++) voxels.push(k * plane + j * phantom.width + i);
    }
  }
  return voxels;
}

describe('the loop painter\'s stroke plan', () => {
  it('spreads a capped selection over the whole list, ends included', () => {
    expect(spreadEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9]);
    expect(spreadEvenly([0, 1, 2], 5)).toEqual([0, 1, 2]);
    expect(spreadEvenly([0, 1, 2, 3, 4], 1)).toEqual([2]);
  });

  it('caps the strokes of a large structure and keeps them inside it and the background ones off it', () => {
    const [first, last] = phantom.structures[0]!.slices;
    const k = Math.round((first + last) / 2);
    const full = planStrokes(phantom, k, 1, 2);
    const capped = planStrokes(phantom, k, 1, 2, 4);
    expect(full.inside.length).toBeGreaterThan(4);
    expect(full.outside.length).toBeGreaterThan(4);
    expect(capped.inside.length).toBe(4);
    expect(capped.outside.length).toBe(4);
    expect(voxelsOf(capped.inside, k).every((v) => phantom.truth[v] === 1)).toBe(true);
    expect(voxelsOf(capped.outside, k).every((v) => phantom.truth[v] !== 1)).toBe(true);
    // Spread over the structure: the capped inside rows reach its top and bottom rows of the full plan.
    const rowsOf = (paths: typeof full.inside): number[] => paths.flatMap(([a, b]) => (a !== undefined && b !== undefined && a[1] === b[1] ? [a[1]] : []));
    expect(Math.min(...rowsOf(capped.inside))).toBe(Math.min(...rowsOf(full.inside)));
    expect(Math.max(...rowsOf(capped.inside))).toBe(Math.max(...rowsOf(full.inside)));
  });
});
