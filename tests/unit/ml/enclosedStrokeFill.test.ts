import { describe, expect, it } from 'vitest';
import { fillEnclosedStrokes, thinFilled } from '../../../src-main/ml/enclosedStrokeFill';

const width = 12;
const height = 10;
const plane = width * height;

/** A slice with a background outline (value 0) on the rectangle [x0, x1] x [y0, y1], -1 elsewhere. */
function outlined(x0: number, x1: number, y0: number, y1: number): Int32Array {
  const slice = new Int32Array(plane).fill(-1);
  for (let y = y0; y <= y1; y += 1) for (let x = x0; x <= x1; x += 1) if (x === x0 || x === x1 || y === y0 || y === y1) slice[y * width + x] = 0;
  return slice;
}

describe('fillEnclosedStrokes', () => {
  it('labels the inside of a closed background outline as the one structure stroked in it, keeping a margin beside the outline', () => {
    const slice = outlined(1, 10, 1, 8);
    slice[4 * width + 5] = 1; // one structure stroke inside
    const { labels, filled } = fillEnclosedStrokes(slice, 1, width, height, { margin: 1 });
    // Inside: x 2..9, y 2..7; margin 1 leaves x 3..8, y 3..6, less the stroked pixel.
    expect(labels[4 * width + 4]).toBe(1);
    expect(labels[3 * width + 3]).toBe(1);
    expect(labels[2 * width + 5]).toBe(-1); // beside the outline: uncertain
    expect(labels[4 * width + 9]).toBe(-1);
    expect(labels[0]).toBe(-1); // outside the outline: open to the border
    expect(filled).toBe(6 * 4 - 1);
    expect(slice[4 * width + 4]).toBe(-1); // the input is not changed
  });

  it('fills the whole inside with margin 0, and leaves it unlabelled when the outline is open', () => {
    const closed = outlined(1, 10, 1, 8);
    closed[4 * width + 5] = 1;
    expect(fillEnclosedStrokes(closed, 1, width, height, { margin: 0 }).filled).toBe(8 * 6 - 1);
    const open = new Int32Array(closed);
    open[1 * width + 5] = -1; // a gap in the top edge joins the inside to the outside
    const { labels, filled } = fillEnclosedStrokes(open, 1, width, height, { margin: 0 });
    expect(filled).toBe(0);
    expect(labels[4 * width + 4]).toBe(-1);
  });

  it('leaves a region that borders the strokes of two structures, or of none, unlabelled, and works per slice', () => {
    const two = outlined(1, 10, 1, 8);
    two[4 * width + 3] = 1;
    two[4 * width + 8] = 2;
    const none = outlined(1, 10, 1, 8);
    const one = outlined(1, 10, 1, 8);
    one[5 * width + 5] = 2;
    const volume = new Int32Array(3 * plane);
    volume.set(two, 0);
    volume.set(none, plane);
    volume.set(one, 2 * plane);
    const { labels } = fillEnclosedStrokes(volume, 3, width, height, { margin: 0 });
    expect(labels[4 * width + 5]).toBe(-1);
    expect(labels[plane + 4 * width + 5]).toBe(-1);
    expect(labels[2 * plane + 4 * width + 5]).toBe(2);
  });

  it('leaves unlabelled the part of an outline where another structure was painted on other slices (a shell around its inside), but not where a neighbour only reaches in', () => {
    const shell = outlined(1, 10, 1, 8);
    shell[4 * width + 2] = 1; // the shell's stroke, just inside its outline
    const inside = new Int32Array(plane).fill(-1);
    inside[4 * width + 6] = 2; // the inner structure, painted on another slice only
    inside[4 * width + 7] = 2;
    const volume = new Int32Array(2 * plane);
    volume.set(shell, 0);
    volume.set(inside, plane);
    const { labels } = fillEnclosedStrokes(volume, 2, width, height, { margin: 0 });
    // The inner strokes' box (x 6..7, y 4) grown by half its larger side (1): x 5..8, y 3..5 stays unlabelled.
    for (const [x, y] of [[5, 3], [7, 4], [8, 5]] as const) expect(labels[y * width + x]).toBe(-1);
    for (const [x, y] of [[3, 4], [4, 6], [9, 7], [6, 2]] as const) expect(labels[y * width + x]).toBe(1);

    const neighbour = new Int32Array(plane).fill(-1);
    for (let x = 0; x < width; x += 1) neighbour[9 * width + x] = 2; // along the bottom row, outside the outline
    neighbour[7 * width + 6] = 2; // and one pixel within it
    volume.set(neighbour, plane);
    const reached = fillEnclosedStrokes(volume, 2, width, height, { margin: 0 }).labels;
    expect(reached[7 * width + 5]).toBe(1);
    expect(reached[4 * width + 7]).toBe(1);
  });

  it('with a strip, labels only the inside within that depth of the outline, beyond the margin', () => {
    const slice = outlined(1, 10, 1, 8);
    slice[4 * width + 5] = 1;
    const { labels } = fillEnclosedStrokes(slice, 1, width, height, { margin: 0, strip: 1 });
    expect(labels[2 * width + 5]).toBe(1); // next to the outline
    expect(labels[4 * width + 4]).toBe(-1); // deeper inside
    expect(() => fillEnclosedStrokes(slice, 1, width, height, { strip: 0 })).toThrow(/strip/);
  });

  it('refuses labels that do not match the slices, and a negative margin', () => {
    expect(() => fillEnclosedStrokes(new Int32Array(plane - 1), 1, width, height)).toThrow(/need 120 labels/);
    expect(() => fillEnclosedStrokes(new Int32Array(plane), 1, width, height, { margin: -1 })).toThrow(/margin/);
  });

  it('thins the filled pixels of a structure to the background strokes\' count on their slice, keeping every stroke', () => {
    // Slice 0: 10 background strokes, 2 structure strokes, 100 filled pixels; slice 1: 200 background strokes, the same fill.
    const perSlice = 400;
    const strokes = new Int32Array(2 * perSlice).fill(-1);
    const filled = new Int32Array(2 * perSlice).fill(-1);
    for (let s = 0; s < 2; s += 1) {
      const base = s * perSlice;
      for (let i = 0; i < (s === 0 ? 10 : 200); i += 1) strokes[base + i] = filled[base + i] = 0;
      for (let i = 250; i < 252; i += 1) strokes[base + i] = filled[base + i] = 1;
      for (let i = 280; i < 380; i += 1) filled[base + i] = 1;
    }
    const out = thinFilled(filled, strokes, 2, perSlice);
    const ones = (s: number): number => out.subarray(s * perSlice, (s + 1) * perSlice).filter((v) => v === 1).length;
    // About 10 - 2 = 8 filled pixels kept (a hash, not an exact count), plus the 2 strokes.
    expect(ones(0)).toBeGreaterThanOrEqual(2 + 3);
    expect(ones(0)).toBeLessThanOrEqual(2 + 16);
    expect(out[250]).toBe(1);
    expect(out[251]).toBe(1);
    expect(ones(1)).toBe(102); // enough background: nothing thinned
    expect(out.subarray(0, 10).every((v) => v === 0)).toBe(true);
    expect(() => thinFilled(filled, strokes.subarray(1), 2, perSlice)).toThrow(/need 800 labels/);
  });
});
