import { describe, expect, it } from 'vitest';
import type { SliceLabels } from '../../../../src-main/trainer/jobs/interactiveLayers';
import { ShownVolume } from '../../../../src-main/trainer/jobs/shownVolume';
import { outlinedDiscs } from '../../ml/outlinedStrokes';

// 6 x 6 slices, 5 of them; the structure (class 1) is a 2 x 2 block at x, y = 1..2 on slices 1-3.
const plane = 36;
const at = (x: number, y: number): number => y * 6 + x;
function block(): Uint8Array {
  const slice = new Uint8Array(plane);
  for (const [x, y] of [[1, 1], [2, 1], [1, 2], [2, 2]] as const) slice[at(x, y)] = 1;
  return slice;
}
/** The block plus an island at (4, 4), touching nothing. */
function blockAndIsland(): Uint8Array {
  const slice = block();
  slice[at(4, 4)] = 1;
  return slice;
}
const island = (): Uint8Array => {
  const slice = new Uint8Array(plane);
  slice[at(4, 4)] = 1;
  return slice;
};
/** A stroke of class 1 at (1, 1) on slice 2, background elsewhere unlabelled. */
const strokes: SliceLabels[] = [{ k: 2, labels: Int32Array.from({ length: plane }, (_, i) => (i === at(1, 1) ? 1 : -1)), maxLabel: 1 }];

describe('the mask shown while a version streams in', () => {
  it('keeps the regions touching a stroke on the slice, and drops an island there', () => {
    const shown = new ShownVolume([6, 6, 5]);
    const [sent] = shown.write([2], blockAndIsland(), strokes, 2);
    expect(sent?.k).toBe(2);
    expect(Array.from(sent?.labels ?? [])).toEqual(Array.from(block()));
  });

  it('keeps a region touching the mask shown on the slice beside it, and drops one touching nothing shown', () => {
    const shown = new ShownVolume([6, 6, 5]);
    shown.write([2], block(), strokes, 2);
    // Slice 3 lies on slice 2's shown block: kept; its island is not.
    expect(Array.from(shown.write([3], blockAndIsland(), strokes, 2)[0]?.labels ?? [])).toEqual(Array.from(block()));
    // Slice 0 has nothing shown beside it (slice 1 is empty) and no stroke: all of it goes.
    expect(shown.write([0], block(), strokes, 2)[0]?.labels.every((v) => v === 0)).toBe(true);
    // Within one batch the slices are filtered in order, so slice 1 (beside 2) is kept and slice 0 then joins it.
    const batch = shown.write([1, 0], new Uint8Array([...block(), ...block()]), strokes, 2);
    expect(batch.map((s) => s.labels.filter((v) => v === 1).length)).toEqual([4, 4]);
  });

  it('keeps a region where the mask shown on the slice before was', () => {
    const shown = new ShownVolume([6, 6, 5]);
    shown.write([4], island(), null, 2);
    expect(Array.from(shown.write([4], island(), strokes, 2)[0]?.labels ?? [])).toEqual(Array.from(island()));
  });

  it('sends the slices as inferred without the filter, and the 3-D filter at the end corrects what was shown', () => {
    const shown = new ShownVolume([6, 6, 5]);
    const inferred = new Uint8Array(5 * plane);
    for (const k of [1, 2, 3]) inferred.set(blockAndIsland(), k * plane);
    const sent = shown.write([0, 1, 2, 3, 4], inferred, null, 2);
    expect(sent.map((s) => s.labels.filter((v) => v === 1).length)).toEqual([0, 5, 5, 5, 0]);
    // The island at (4, 4) runs through slices 1-3 but no stroke touches it.
    const changed = shown.keepStrokeConnected(strokes, 2);
    expect(changed.map((s) => s.k)).toEqual([1, 2, 3]);
    expect(changed.every((s) => Array.from(s.labels).join() === Array.from(block()).join())).toBe(true);
    expect(shown.keepStrokeConnected(strokes, 2)).toEqual([]);
  });

  it('judges the 3-D filter on the answer as inferred, not on what the streaming filter dropped', () => {
    const shown = new ShownVolume([6, 6, 5]);
    // Slices 0 and 1 stream before the stroked slice 2, with nothing shown beside them: dropped on screen. Once the volume is in, the 3-D filter finds them connected and shows them.
    expect(shown.write([0], block(), strokes, 2)[0]?.labels.every((v) => v === 0)).toBe(true);
    const rest = new Uint8Array(4 * plane);
    for (const k of [0, 1, 2]) rest.set(block(), k * plane);
    expect(shown.write([1, 2, 3, 4], rest, strokes, 2).map((s) => s.labels.filter((v) => v === 1).length)).toEqual([0, 4, 4, 0]);
    expect(shown.keepStrokeConnected(strokes, 2).map((s) => s.k)).toEqual([0, 1]);
  });

  it("drops an answer beyond its structure's extent even where it is connected to the strokes, while streaming and in 3-D", () => {
    // 30 x 4 slices, 3 of them: class 1 stroked over x 2-5 on row 1 of slice 1 (extent: x 0-9, the in-plane growth at least 4).
    const wide = 30 * 4;
    const line = new Int32Array(wide).fill(-1);
    for (let x = 2; x <= 5; x += 1) line[30 + x] = 1;
    const painted: SliceLabels[] = [{ k: 1, labels: line, maxLabel: 1 }];
    // The answer: row 1 of class 1 from x 2 to x 25, one connected run.
    const answer = new Uint8Array(wide);
    for (let x = 2; x <= 25; x += 1) answer[30 + x] = 1;
    const kept = (labels: Uint8Array | undefined): number[] => Array.from(labels ?? []).flatMap((v, i) => (v === 1 ? [i % 30] : []));
    const shown = new ShownVolume([30, 4, 3]);
    expect(kept(shown.write([1], answer, painted, 2)[0]?.labels)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const volume = new Uint8Array(3 * wide);
    volume.set(answer, wide);
    const fresh = new ShownVolume([30, 4, 3]);
    fresh.write([0, 1, 2], volume, null, 2);
    expect(kept(fresh.keepStrokeConnected(painted, 2).find((s) => s.k === 1)?.labels)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('shows a structure outlined on two slices between them where the answer missed it, while streaming and in 3-D', () => {
    // 40 x 40 slices, 9 of them: class 1 a disc of radius 6 outlined on slices 2 and 6, class 2 another on slice 8 (several structures); the answer is empty.
    const [w, h, d] = [40, 40, 9];
    const disc = outlinedDiscs(w, h, [{ c: 1, cx: 20, cy: 20, r: 6 }]);
    const other = outlinedDiscs(w, h, [{ c: 2, cx: 8, cy: 8, r: 3 }]);
    const painted: SliceLabels[] = [...[2, 6].map((k) => ({ k, labels: disc, maxLabel: 1 })), { k: 8, labels: other, maxLabel: 2 }];
    const centre = 20 * w + 20;
    const streamed = new ShownVolume([w, h, d]);
    expect(streamed.write([2], new Uint8Array(w * h), painted, 3)[0]?.labels[centre]).toBe(1);
    expect(streamed.write([3], new Uint8Array(w * h), painted, 3)[0]?.labels[centre]).toBe(1);
    const whole = new ShownVolume([w, h, d]);
    whole.write([...Array(d).keys()], new Uint8Array(w * h * d), null, 3);
    const corrected = whole.keepStrokeConnected(painted, 3);
    expect(corrected.find((s) => s.k === 4)?.labels[centre]).toBe(1);
    expect(corrected.find((s) => s.k === 0)).toBeUndefined();
  });
});
