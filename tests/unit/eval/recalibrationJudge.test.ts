import { describe, expect, it } from 'vitest';
import { keepsRecalibrated, volumeStrokeFit } from '../../../src-main/eval/recalibrationJudge';
import type { Scribbles } from '../../../src-main/eval/scribble';

// A 4-voxel plane, 3 slices; strokes on slices 0 and 2 only: slice 0 has a structure stroke (1) and a
// background stroke (0), slice 2 two structure strokes.
const plane = 4;
const labels = Int32Array.from([1, 0, -1, -1, /* slice 1 */ -1, -1, -1, -1, /* slice 2 */ 1, 1, -1, -1]);
const scribbles: Scribbles = { labels, perLabel: [], slices: [0, 2] };

describe('choosing the batch-norm statistics by the strokes', () => {
  it('scores only the stroked voxels of the stroked slices, by the worst class', () => {
    // Every stroke right; slice 1 (unstroked) and the unstroked voxels are ignored, however wrong.
    expect(volumeStrokeFit(Uint8Array.from([1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]), scribbles, plane)).toEqual({ classIndex: 1, share: 1 });
    // One of the three structure strokes missed: the structure (2/3) is worse than the background (1/1).
    expect(volumeStrokeFit(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]), scribbles, plane)).toEqual({ classIndex: 1, share: 2 / 3 });
    expect(volumeStrokeFit(new Uint8Array(12), { labels: new Int32Array(12).fill(-1), perLabel: [], slices: [] }, plane)).toBeNull();
  });

  it('keeps the recalibrated statistics unless the training statistics fit the strokes strictly better', () => {
    const allRight = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    const structureMissed = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(keepsRecalibrated(structureMissed, allRight, scribbles, plane)).toBe(false);
    expect(keepsRecalibrated(allRight, structureMissed, scribbles, plane)).toBe(true);
    // A tie keeps the recalibration (the default before the judge).
    expect(keepsRecalibrated(allRight, allRight, scribbles, plane)).toBe(true);
  });
});
