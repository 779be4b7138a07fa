/**
 * The line across which a stack of training slices looks most like its own
 * mirror image: anatomy's midline on axial and coronal slices of a head
 * (bilateral symmetry), wherever the stroke box put it in the frame. The
 * mirror guard (mirrorSafeLabels.ts) looks at what the strokes say on either
 * side of this line, not of the frame's centre: the spatial augmentation
 * reflects about the frame's centre, but it also shifts and turns the
 * picture, and a convolutional network sees content, not position, so a
 * mirrored left structure contradicts the strokes wherever its twin lies.
 *
 * Only lines parallel to the slice's axes are searched: a reflection about
 * one axis is the reflection about the other followed by a half turn, which
 * the augmentation draws anyway, so the one that matches the content decides.
 */

/** A mirror line: `axis` 'x' reflects columns (x -> sum - x), 'y' rows (y -> sum - y); the line lies at sum / 2. */
export interface MirrorLine {
  readonly axis: 'x' | 'y';
  /** Twice the line's coordinate, in pixels: a pixel at c maps to sum - c. */
  readonly sum: number;
  /** Pearson correlation of the slices with their mirror image across the line, over the pixels both cover (1: exact symmetry). */
  readonly correlation: number;
}

/** Slices as FinetuneData holds them, read back: [count, height, width, channels], slice-major. */
export interface SliceStack {
  readonly images: Float32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The correlation of the middle channel with its mirror across one line, pooled over the slices. */
function mirrorCorrelation(stack: SliceStack, axis: 'x' | 'y', sum: number): number {
  const { images, count, height, width, channels } = stack;
  const middle = channels >> 1;
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let s = 0; s < count; s += 1) {
    for (let y = 0; y < height; y += 1) {
      const my = axis === 'y' ? sum - y : y;
      if (my < 0 || my >= height) continue;
      for (let x = 0; x < width; x += 1) {
        const mx = axis === 'x' ? sum - x : x;
        if (mx < 0 || mx >= width) continue;
        const a = images[((s * height + y) * width + x) * channels + middle] ?? 0;
        const b = images[((s * height + my) * width + mx) * channels + middle] ?? 0;
        n += 1;
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
      }
    }
  }
  if (n === 0) return 0;
  const cov = sab / n - (sa / n) * (sb / n);
  const va = saa / n - (sa / n) ** 2;
  const vb = sbb / n - (sb / n) ** 2;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * The mirror line of the slices: over both axes and every line in the middle
 * half of the frame (half-pixel steps), the one with the highest correlation
 * between the slices and their mirror image. Lines nearer the edge compare
 * too few pixels to be trusted.
 */
export function mirrorLine(stack: SliceStack): MirrorLine {
  const { images, count, height, width, channels } = stack;
  if (images.length !== count * height * width * channels || count < 1) {
    throw new Error(`mirrorLine: ${images.length} values do not fit ${count} slices of ${width}x${height}x${channels}.`);
  }
  let best: MirrorLine = { axis: 'x', sum: width - 1, correlation: -Infinity };
  for (const axis of ['x', 'y'] as const) {
    const side = axis === 'x' ? width : height;
    // Line positions side/4 .. 3 side/4 in half pixels: sum = 2 * position.
    for (let sum = Math.ceil(side / 2); sum <= Math.floor((3 * side) / 2) - 1; sum += 1) {
      const correlation = mirrorCorrelation(stack, axis, sum);
      if (correlation > best.correlation) best = { axis, sum, correlation };
    }
  }
  return best;
}
