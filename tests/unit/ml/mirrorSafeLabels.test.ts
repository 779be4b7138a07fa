import { describe, expect, it } from 'vitest';
import { mirrorLine } from '../../../src-main/ml/mirrorLine';
import { mirrorSafeLabels } from '../../../src-main/ml/mirrorSafeLabels';

const size = 64;

/** One slice of `size` x `size`: an image and strokes (-1 unlabelled) painted by `paint`, which returns [intensity, label] per pixel. */
function slice(paint: (x: number, y: number) => [number, number]): { images: Float32Array; labels: Int32Array } {
  const images = new Float32Array(size * size);
  const labels = new Int32Array(size * size);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const [v, l] = paint(x, y);
      images[y * size + x] = v;
      labels[y * size + x] = l;
    }
  }
  return { images, labels };
}

const stack = (s: { images: Float32Array; labels: Int32Array }) => ({ ...s, count: 1, height: size, width: size, channels: 1 });

/** A head-like scene, bilaterally symmetric about x = midline: an ellipse of "brain" with a brighter "skull" ring and a forehead mark at the top (no half-turn symmetry), and two round "nuclei" at midline -+ 12. */
function head(midline: number) {
  const inEllipse = (x: number, y: number, a: number, b: number): boolean => ((x - midline) / a) ** 2 + ((y - 32) / b) ** 2 <= 1;
  const nucleus = (x: number, y: number, side: -1 | 1): boolean => Math.hypot(x - (midline + 12 * side), y - 36) <= 4;
  const intensity = (x: number, y: number): number => {
    if (nucleus(x, y, -1) || nucleus(x, y, 1)) return 0.9;
    if (inEllipse(x, y, 20, 24)) return 0.5 + 0.1 * Math.sin(y / 3);
    if (inEllipse(x, y, 24, 28)) return y < 12 ? 1 : 0.8;
    return 0;
  };
  return { inEllipse, nucleus, intensity };
}

describe('the mirror line of training slices', () => {
  it("finds a head's midline where the stroke box put it, not at the frame's centre, and a line along the other axis when the scene lies that way", () => {
    const { intensity } = head(27);
    const upright = mirrorLine(stack(slice((x, y) => [intensity(x, y), -1])));
    expect(upright.axis).toBe('x');
    expect(upright.sum).toBe(54);
    expect(upright.correlation).toBeGreaterThan(0.99);
    const lying = mirrorLine(stack(slice((x, y) => [intensity(y, x), -1])));
    expect(lying.axis).toBe('y');
    expect(lying.sum).toBe(54);
  });
});

describe('the mirror guard (labels of mirrored samples)', () => {
  it('leaves a whole-brain-like case untouched: brain and background strokes mirror onto their own kind, so the mirror keeps training as before', () => {
    const { inEllipse, intensity } = head(30);
    // The brain painted inside (as the closed-outline fill leaves it), a band of background around it, a background line to the edge on one side only.
    const s = slice((x, y) => [intensity(x, y), inEllipse(x, y, 19, 23) ? 1 : inEllipse(x, y, 25, 29) && !inEllipse(x, y, 22, 26) ? 0 : y === 32 && x > 50 ? 0 : -1]);
    const safe = mirrorSafeLabels(stack(s));
    expect(safe.contradicted).toEqual([]);
    expect(safe.dropped).toBe(0);
    expect(Array.from(safe.reflected)).toEqual(Array.from(s.labels));
    expect(Array.from(safe.sidedSlices)).toEqual([0]);
  });

  it('swaps the labels of a left/right pair painted as two segments (each mirrors onto the other), and changes nothing else', () => {
    const { nucleus, intensity } = head(33);
    const s = slice((x, y) => [intensity(x, y), nucleus(x, y, -1) ? 1 : nucleus(x, y, 1) ? 2 : y === 10 ? 0 : -1]);
    const safe = mirrorSafeLabels(stack(s));
    expect(safe.line.sum).toBe(66);
    expect(safe.swapped).toEqual([[1, 2]]);
    expect(safe.contradicted).toEqual([]);
    expect(safe.dropped).toBe(0);
    for (let i = 0; i < s.labels.length; i += 1) {
      const label = s.labels[i] ?? -1;
      expect(safe.reflected[i]).toBe(label >= 1 ? 3 - label : label);
    }
    // Turned far, only handedness would tell the pair apart: the slice stays upright.
    expect(Array.from(safe.sidedSlices)).toEqual([1]);
  });

  it('drops a one-sided structure and the background strokes on its twin, but keeps one whose twin nobody painted', () => {
    const { nucleus, intensity } = head(32);
    // Left nucleus class 1; background strokes across the right nucleus and along the top.
    const painted = slice((x, y) => [intensity(x, y), nucleus(x, y, -1) ? 1 : (y === 36 && x > 38 && x < 50) || y === 10 ? 0 : -1]);
    const safe = mirrorSafeLabels(stack(painted));
    expect(safe.contradicted).toEqual([1]);
    expect(safe.swapped).toEqual([]);
    for (let i = 0; i < painted.labels.length; i += 1) {
      const x = i % size;
      const y = Math.floor(i / size);
      const onTwin = Math.hypot(x - 44, y - 36) <= 4 + 3;
      const label = painted.labels[i] ?? -1;
      if (label === 1) expect(safe.reflected[i]).toBe(-1);
      else if (label === 0 && !onTwin) expect(safe.reflected[i]).toBe(0);
    }
    expect(safe.dropped).toBeGreaterThan(painted.labels.filter((v) => v === 1).length);
    expect(Array.from(safe.sidedSlices)).toEqual([1]);
    // Nothing painted near the twin: no evidence that the mirror contradicts, so the strokes stay.
    const alone = slice((x, y) => [intensity(x, y), nucleus(x, y, -1) ? 1 : y === 10 ? 0 : -1]);
    const kept = mirrorSafeLabels(stack(alone));
    expect(kept.contradicted).toEqual([]);
    expect(Array.from(kept.reflected)).toEqual(Array.from(alone.labels));
    expect(Array.from(kept.sidedSlices)).toEqual([0]);
  });

  it('checks its input', () => {
    const s = slice(() => [0, 0]);
    expect(() => mirrorSafeLabels({ ...stack(s), count: 2 })).toThrow(/do not fit/);
    expect(() => mirrorSafeLabels(stack(s), -1)).toThrow(/tolerance/);
  });
});
