/**
 * One series' labels in memory: edits on top of a revision, refusals that
 * leave nothing behind, the segment invariant, and final labels.
 */
import { describe, expect, it } from 'vitest';
import { finalLabels, countLabelled } from '../../../src-main/labels/finalLabels';
import { LabelError } from '../../../src-main/labels/labelError';
import { SeriesLabels } from '../../../src-main/labels/seriesLabels';
import { decodeRuns, runsToBytes } from '../../../src-main/shared/labels/labelRuns';
import { change, segment } from './labelFixtures';

const grid = { seriesId: 's1', seriesInstanceUid: '1.2.3', dimensions: [4, 3, 2] as const };

function labelsWithLiver(): SeriesLabels {
  const labels = SeriesLabels.empty(grid);
  labels.apply({ baseRevision: 0, changes: [change('strokes', [[0, 1], [1, 1], [5, 255]])], segments: [segment(1, 'Liver')] });
  return labels;
}

function refusal(run: () => unknown): LabelError {
  try {
    run();
  } catch (thrown) {
    if (thrown instanceof LabelError) return thrown;
    throw thrown;
  }
  throw new Error('expected a LabelError');
}

describe('series labels', () => {
  it('applies runs and segments, one revision per edit', () => {
    const labels = labelsWithLiver();
    expect(labels.revision).toBe(1);
    expect([...labels.strokes.subarray(0, 6)]).toEqual([1, 1, 0, 0, 0, 255]);
    labels.apply({ baseRevision: 1, changes: [change('strokes', [[1, 0]]), change('accepted', [[22, 255], [23, 1]])] });
    expect(labels.revision).toBe(2);
    expect(labels.strokes[1]).toBe(0);
    expect([labels.accepted[22], labels.accepted[23]]).toEqual([255, 1]);
    expect(labels.apply({ baseRevision: 2, changes: [] })).toBe(false);
    expect(labels.revision).toBe(2);
  });

  it('refuses an edit made on another revision with a conflict that says to reload', () => {
    const labels = labelsWithLiver();
    const error = refusal(() => labels.apply({ baseRevision: 0, changes: [change('strokes', [[3, 1]])] }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/revision 1.*revision 0.*Reload/);
    expect(labels.strokes[3]).toBe(0);
  });

  it('refuses bad runs, naming the problem, and changes nothing', () => {
    const labels = labelsWithLiver();
    const before = Uint8Array.from(labels.strokes);
    const pastEnd = runsToBytes({ starts: Uint32Array.of(20), lengths: Uint32Array.of(10), values: Uint8Array.of(1) });
    const overlapping = runsToBytes({ starts: Uint32Array.of(2, 3), lengths: Uint32Array.of(3, 1), values: Uint8Array.of(1, 1) });
    const truncated = runsToBytes({ starts: Uint32Array.of(2), lengths: Uint32Array.of(1), values: Uint8Array.of(1) }).subarray(0, 8);
    const cases: [Uint8Array, RegExp][] = [
      [pastEnd, /strokes layer.*ends at voxel 30, past the volume's 24 voxels/],
      [overlapping, /run 1 starts at 3, before the end of the previous run/],
      [truncated, /9 bytes each/],
    ];
    for (const [runs, message] of cases) {
      // A valid accepted change in the same edit must not land either.
      const error = refusal(() => labels.apply({ baseRevision: 1, changes: [change('accepted', [[0, 1]]), { layer: 'strokes', runs }] }));
      expect(error.code).toBe('bad-request');
      expect(error.message).toMatch(message);
    }
    expect(labels.strokes).toEqual(before);
    expect(labels.accepted.every((v) => v === 0)).toBe(true);
    expect(labels.revision).toBe(1);
  });

  it('refuses labels without a segment and two changes of one layer', () => {
    const labels = labelsWithLiver();
    const unknown = refusal(() => labels.apply({ baseRevision: 1, changes: [change('accepted', [[4, 7]])] }));
    expect(unknown.message).toMatch(/label 7, which is no segment/);
    const twice = refusal(() => labels.apply({ baseRevision: 1, changes: [change('strokes', [[4, 1]]), change('strokes', [[6, 1]])] }));
    expect(twice.message).toMatch(/strokes layer twice/);
    // Adding the segment in the same edit makes the label valid.
    labels.apply({ baseRevision: 1, changes: [change('accepted', [[4, 7]])], segments: [segment(1, 'Liver'), segment(7, 'Kidney')] });
    expect(labels.accepted[4]).toBe(7);
  });

  it('removes a segment only with its voxels, and undoes the runs of a refused removal', () => {
    const labels = labelsWithLiver();
    labels.apply({ baseRevision: 1, changes: [], segments: [segment(1), segment(2)] });
    labels.apply({ baseRevision: 2, changes: [change('accepted', [[10, 2], [11, 2]])] });
    const before = Uint8Array.from(labels.accepted);
    const refused = refusal(() => labels.apply({ baseRevision: 3, changes: [change('accepted', [[10, 0], [12, 1]])], segments: [segment(1)] }));
    expect(refused.message).toMatch(/Segment 2 .* cannot be removed while 1 voxels still carry it/);
    expect(labels.accepted).toEqual(before);
    expect(labels.segments.map((s) => s.label)).toEqual([1, 2]);
    labels.apply({ baseRevision: 3, changes: [change('accepted', [[10, 0], [11, 0]])], segments: [segment(1)] });
    expect(labels.segments.map((s) => s.label)).toEqual([1]);
    expect(labels.revision).toBe(4);
  });

  it('rejects an invalid segment list', () => {
    const labels = labelsWithLiver();
    const error = refusal(() => labels.apply({ baseRevision: 1, changes: [], segments: [segment(1), segment(1)] }));
    expect(error.message).toMatch(/segment labels must be unique/);
  });

  it('serves its state as runs and takes a snapshot later edits do not touch', () => {
    const labels = labelsWithLiver();
    const state = labels.toState();
    expect(state.revision).toBe(1);
    expect(state.dimensions).toEqual([4, 3, 2]);
    const strokes = decodeRuns(state.strokes, 24);
    expect([...strokes.starts, ...strokes.lengths, ...strokes.values]).toEqual([0, 5, 2, 1, 1, 255]);
    const snapshot = labels.snapshot('2024-01-01T00:00:00.000Z');
    labels.apply({ baseRevision: 1, changes: [change('strokes', [[0, 0]])] });
    expect([...snapshot.strokes.starts]).toEqual([0, 5]);
    expect(snapshot.revision).toBe(1);
    const copy = SeriesLabels.fromFile(grid, snapshot);
    expect(copy.revision).toBe(1);
    expect([...copy.strokes.subarray(0, 6)]).toEqual([1, 1, 0, 0, 0, 255]);
  });
});

describe('final labels', () => {
  it('takes a stroke over the accepted label; background strokes and erased voxels are nothing', () => {
    const strokes = Uint8Array.of(0, 3, 255, 0, 0, 255, 2);
    const accepted = Uint8Array.of(0, 1, 1, 4, 255, 0, 0);
    const labels = finalLabels(strokes, accepted);
    expect([...labels]).toEqual([0, 3, 0, 4, 0, 0, 2]);
    expect(countLabelled(labels)).toBe(3);
  });
});
