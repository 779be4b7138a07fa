/**
 * The head against air on an MR volume, for a suite case whose series ships
 * without labels (suiteCases.ts: timing and the DICOM path, not a reference):
 * voxels above Otsu's threshold of the whole volume, then per slice the
 * holes closed (everything not reachable from the slice's border through
 * sub-threshold voxels is head: ventricles and dark bone stay inside).
 */
import type { Grid } from './scribble';

/** Otsu's threshold over a 256-bin histogram between the volume's minimum and maximum. */
export function otsuThreshold(values: ArrayLike<number>): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return min;
  const bins = 256;
  const histogram = new Float64Array(bins);
  const scale = (bins - 1) / (max - min);
  for (let i = 0; i < values.length; i += 1) {
    const bin = Math.round(((values[i] ?? 0) - min) * scale);
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  const total = values.length;
  let sumAll = 0;
  for (let b = 0; b < bins; b += 1) sumAll += b * (histogram[b] ?? 0);
  let below = 0;
  let sumBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let b = 0; b < bins; b += 1) {
    below += histogram[b] ?? 0;
    sumBelow += b * (histogram[b] ?? 0);
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const meanBelow = sumBelow / below;
    const meanAbove = (sumAll - sumBelow) / above;
    const variance = below * above * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = b;
    }
  }
  return min + (best + 0.5) / scale;
}

/** 1 inside the head, 0 in the air around it (see the module comment). */
export function headMask(image: ArrayLike<number>, grid: Grid): Uint8Array {
  const { width, height, depth } = grid;
  const plane = width * height;
  const threshold = otsuThreshold(image);
  const mask = new Uint8Array(plane * depth);
  const outside = new Uint8Array(plane);
  const queue = new Int32Array(plane);
  for (let z = 0; z < depth; z += 1) {
    const base = z * plane;
    outside.fill(0);
    let head = 0;
    let tail = 0;
    const visit = (i: number): void => {
      if (outside[i] === 0 && (image[base + i] ?? 0) <= threshold) {
        outside[i] = 1;
        queue[tail++] = i;
      }
    };
    for (let x = 0; x < width; x += 1) {
      visit(x);
      visit(x + (height - 1) * width);
    }
    for (let y = 0; y < height; y += 1) {
      visit(y * width);
      visit(width - 1 + y * width);
    }
    while (head < tail) {
      const i = queue[head++] ?? 0;
      const x = i % width;
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
      if (i >= width) visit(i - width);
      if (i < plane - width) visit(i + width);
    }
    for (let i = 0; i < plane; i += 1) mask[base + i] = outside[i] === 1 ? 0 : 1;
  }
  return mask;
}
