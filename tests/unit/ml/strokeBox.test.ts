import { describe, expect, it } from 'vitest';
import { coversSlice, cropSlices, strokeBox } from '../../../src-main/ml/strokeBox';

/** A width x height slice of -1 with `value` at the given (x, y). */
function sliceWith(width: number, height: number, points: ReadonlyArray<readonly [number, number, number]>): Int32Array {
  const labels = new Int32Array(width * height).fill(-1);
  for (const [x, y, value] of points) labels[y * width + x] = value;
  return labels;
}

describe('strokeBox', () => {
  it('boxes the structures of every slice, widened by the margin and made square, ignoring background strokes', () => {
    // Structure strokes from x 40..59 (slice 1) and y 50..54 (slice 2); a background line to the edge.
    const a = sliceWith(200, 160, [[40, 50, 1], [59, 50, 1], [0, 52, 0], [199, 52, 0]]);
    const b = sliceWith(200, 160, [[45, 54, 2]]);
    const box = strokeBox([a, b], 200, 160, { margin: 0.25, minMargin: 2 });
    // Extent 20 x 5; side 20 + 2 * 5 = 30, centred on x 40..59 and y 50..54 (start 52.5 - 15, rounded).
    expect(box).toEqual({ x0: 35, y0: 38, width: 30, height: 30 });
    expect(strokeBox([sliceWith(200, 160, [[3, 3, 0]])], 200, 160)).toBeNull();
  });

  it('keeps the box inside the slice: shifted at an edge, cut to the slice when larger', () => {
    const corner = sliceWith(100, 80, [[1, 1, 1], [10, 10, 1]]);
    expect(strokeBox([corner], 100, 80, { margin: 0, minMargin: 8 })).toEqual({ x0: 0, y0: 0, width: 26, height: 26 });
    const wide = sliceWith(100, 80, [[5, 40, 1], [94, 40, 1]]);
    const box = strokeBox([wide], 100, 80);
    expect(box).toEqual({ x0: 0, y0: 0, width: 100, height: 80 });
    expect(box !== null && coversSlice(box, 100, 80)).toBe(true);
  });

  it('crops slices and channels to the box', () => {
    // 2 slices of 4 x 3, 2 channels: value = slice * 100 + y * 10 + x, channel adds 0.5.
    const data = new Float32Array(2 * 3 * 4 * 2);
    for (let s = 0; s < 2; s += 1) for (let y = 0; y < 3; y += 1) for (let x = 0; x < 4; x += 1) for (let c = 0; c < 2; c += 1) data[((s * 3 + y) * 4 + x) * 2 + c] = s * 100 + y * 10 + x + c / 2;
    const cropped = cropSlices(data, 2, 4, 3, { x0: 1, y0: 1, width: 2, height: 2 }, 2);
    expect(Array.from(cropped)).toEqual([11, 11.5, 12, 12.5, 21, 21.5, 22, 22.5, 111, 111.5, 112, 112.5, 121, 121.5, 122, 122.5]);
    expect(cropSlices(Int32Array.from([1, 2, 3, 4]), 1, 2, 2, { x0: 1, y0: 0, width: 1, height: 2 })).toEqual(Int32Array.from([2, 4]));
  });
});
