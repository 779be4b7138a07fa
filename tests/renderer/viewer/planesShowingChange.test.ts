import { describe, expect, it } from 'vitest';
import type { LabelGrid } from '../../../src-renderer/labels/labelGrid';
import { planesShowingChange } from '../../../src-renderer/viewer/planesShowingChange';
import { makeReadout } from '../support/fakeViewer';

const grid: LabelGrid = { dimensions: [10, 8, 6], spacingMm: [1, 1, 1], originMm: [0, 0, 0], direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] };
const at = (i: number, j: number, k: number): number => i + j * 10 + k * 80;
/** The three views through voxel (5, 6, 3), as the viewer reports them. */
const readouts = {
  axial: makeReadout({ focalPointMm: [5, 6, 3], normal: [0, 0, -1] }),
  sagittal: makeReadout({ focalPointMm: [5, 6, 3], normal: [1, 0, 0] }),
  coronal: makeReadout({ focalPointMm: [5, 6, 3], normal: [0, -1, 0] }),
};

describe('planesShowingChange', () => {
  it('redraws only the planes whose shown slice holds a changed voxel', () => {
    // A stroke in axial slice 3, away from the sagittal (i = 5) and coronal (j = 6) slices.
    expect(planesShowingChange(grid, [at(1, 1, 3), at(2, 1, 3)], readouts)).toEqual(['axial']);
    // Crossing column 5: the sagittal view shows it too.
    expect(planesShowingChange(grid, [at(1, 1, 3), at(5, 1, 3)], readouts)).toEqual(['axial', 'sagittal']);
    // Next to the coronal slice (within one slice, for oblique cuts).
    expect(planesShowingChange(grid, [at(1, 7, 0)], readouts)).toEqual(['coronal']);
  });

  it('leaves out planes not shown and asks for all when it cannot tell', () => {
    expect(planesShowingChange(grid, [at(1, 1, 3)], { axial: readouts.axial, sagittal: null })).toEqual(['axial']);
    expect(planesShowingChange(grid, [], readouts)).toBeNull();
    expect(planesShowingChange(grid, new Uint32Array(30_000), readouts)).toBeNull();
  });
});
