import { describe, expect, it } from 'vitest';
import { paintedSections } from '../../../src-main/ml/paintedSections';
import { outlinedDiscs } from './outlinedStrokes';

const width = 48;
const height = 40;
const at = (x: number, y: number): number => x + y * width;
const count = (section: Uint8Array | null | undefined): number => (section ?? new Uint8Array()).reduce((sum, v) => sum + v, 0);

describe('paintedSections', () => {
  it('finds an outlined disc: the structure and the gap up to its outline, nothing beyond', () => {
    const labels = outlinedDiscs(width, height, [{ c: 1, cx: 24, cy: 20, r: 8 }]);
    const [none, disc] = paintedSections(labels, width, height, 2);
    expect(none).toBeNull();
    if (disc === null || disc === undefined) throw new Error('no section');
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const d = Math.hypot(x - 24, y - 20);
        if (d <= 8) expect(disc[at(x, y)]).toBe(1);
        if (d >= 10) expect(disc[at(x, y)]).toBe(0);
      }
    }
  });

  it('gives no section to strokes without an outline, nor to a line whose only background is far away', () => {
    const lineOnly = outlinedDiscs(width, height, [{ c: 1, cx: 24, cy: 20, r: 8 }], false);
    expect(paintedSections(lineOnly, width, height, 2)[1]).toBeNull();
    const farBackground = new Int32Array(lineOnly);
    for (let x = 0; x < width; x += 1) farBackground[at(x, 1)] = 0;
    expect(paintedSections(farBackground, width, height, 2)[1]).toBeNull();
  });

  it('gives no section to two structures painted with lines only, split between them and cut by background lines across the slice', () => {
    // The strokes of the loop's phantom test: a line inside each structure, background rows near the top and bottom.
    const labels = new Int32Array(width * height).fill(-1);
    for (let x = 10; x <= 18; x += 1) labels[at(x, 20)] = 1;
    for (let x = 28; x <= 38; x += 1) labels[at(x, 16)] = 2;
    for (const y of [3, height - 4]) for (let x = 3; x < width - 3; x += 1) labels[at(x, y)] = 0;
    const [, left, right] = paintedSections(labels, width, height, 3);
    expect(left).toBeNull();
    expect(right).toBeNull();
  });

  it('splits what one outline encloses between the two structures painted inside it', () => {
    // Two touching discs: no background between them, one outline round both.
    const labels = outlinedDiscs(width, height, [{ c: 1, cx: 16, cy: 20, r: 7 }, { c: 2, cx: 31, cy: 20, r: 7 }]);
    const [, left, right] = paintedSections(labels, width, height, 3);
    expect(left?.[at(12, 20)]).toBe(1);
    expect(right?.[at(35, 20)]).toBe(1);
    expect(left?.[at(35, 20)]).toBe(0);
    expect(right?.[at(12, 20)]).toBe(0);
    expect(Math.abs(count(left) - count(right))).toBeLessThan(0.1 * count(left));
  });

  it('keeps a structure whose outline has a gap (an unpainted neighbour) from leaking far through it', () => {
    const labels = outlinedDiscs(width, height, [{ c: 1, cx: 16, cy: 20, r: 7 }]);
    // A neighbour to the right, not painted on this slice, left the outline open on that side.
    for (let y = 0; y < height; y += 1) for (let x = 24; x < width; x += 1) if (labels[at(x, y)] === 0) labels[at(x, y)] = -1;
    const [, disc] = paintedSections(labels, width, height, 2);
    if (disc === null || disc === undefined) throw new Error('no section');
    expect(disc[at(16, 20)]).toBe(1);
    for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) if (Math.hypot(x - 16, y - 20) > 7 + 6) expect(disc[at(x, y)]).toBe(0);
  });

  it('gives no section to a shell whose strokes keep to the edge of what its outline encloses', () => {
    // The outline closes round a disc of radius 14, but class 1 is stroked only in its outer voxel ring.
    const labels = outlinedDiscs(width, height, [{ c: 2, cx: 24, cy: 20, r: 14 }]);
    for (let i = 0; i < labels.length; i += 1) if (labels[i] === 2) labels[i] = -1;
    for (let y = 18; y <= 22; y += 1) labels[at(24 - 14, y)] = 1;
    expect(paintedSections(labels, width, height, 3)[1]).toBeNull();
  });
});
