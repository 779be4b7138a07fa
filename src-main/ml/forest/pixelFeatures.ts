/**
 * Per-pixel features of one slice for the pixel classifier (an
 * ilastik-style quick answer): the intensity smoothed by Gaussians at a few
 * scales, the gradient magnitude and the Laplacian of each smoothed image,
 * and the differences of neighbouring scales. Each describes a voxel by its
 * neighbourhood at one scale, so a forest on them separates tissues by
 * intensity, texture and edges without any training of filters. All filters
 * are separable and run on plain arrays: a 256x256 slice takes a few
 * milliseconds, well inside the quick answer's budget.
 */

/** The Gaussian scales in pixels (about 0.7 to 5 px, as ilastik's defaults). */
export const featureSigmas: readonly number[] = [0.7, 1.6, 3.5, 5];

/** Features per pixel: the raw value, then per scale smoothed/gradient/Laplacian, then the scale differences. */
export const featureCount = 1 + 3 * featureSigmas.length + (featureSigmas.length - 1);

/** Names of the features in order (for reports and tests). */
export const featureNames: readonly string[] = [
  'intensity',
  ...featureSigmas.flatMap((s) => [`gauss ${s}`, `gradient ${s}`, `laplacian ${s}`]),
  ...featureSigmas.slice(1).map((s, i) => `dog ${featureSigmas[i] ?? 0}-${s}`),
];

/** A normalised 1-D Gaussian kernel of radius ceil(3 sigma). */
function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i += 1) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i += 1) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/** Convolves rows (axis 'x') or columns (axis 'y') with `kernel`, edges clamped; the clamping stays out of the inner loops. */
function convolve1d(src: Float32Array, width: number, height: number, kernel: Float32Array, axis: 'x' | 'y'): Float32Array {
  const out = new Float32Array(src.length);
  const radius = (kernel.length - 1) >> 1;
  if (axis === 'x') {
    const padded = new Float32Array(width + 2 * radius);
    for (let y = 0; y < height; y += 1) {
      const row = y * width;
      for (let x = -radius; x < width + radius; x += 1) padded[x + radius] = src[row + Math.min(width - 1, Math.max(0, x))] as number;
      for (let x = 0; x < width; x += 1) {
        let sum = 0;
        for (let t = 0; t < kernel.length; t += 1) sum += (kernel[t] as number) * (padded[x + t] as number);
        out[row + x] = sum;
      }
    }
    return out;
  }
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let t = 0; t < kernel.length; t += 1) {
      const w = kernel[t] as number;
      const from = Math.min(height - 1, Math.max(0, y + t - radius)) * width;
      for (let x = 0; x < width; x += 1) out[row + x] = (out[row + x] as number) + w * (src[from + x] as number);
    }
  }
  return out;
}

/** The slice smoothed by a Gaussian of `sigma` pixels. */
export function gaussianSmooth(slice: Float32Array, width: number, height: number, sigma: number): Float32Array {
  const kernel = gaussianKernel(sigma);
  return convolve1d(convolve1d(slice, width, height, kernel, 'x'), width, height, kernel, 'y');
}

/**
 * The features of every pixel of a slice (x fastest), feature-major: feature
 * f of pixel i at f * width * height + i. `slice` is a normalised image.
 */
export function sliceFeatures(slice: Float32Array, width: number, height: number): Float32Array {
  const n = width * height;
  if (slice.length !== n) throw new Error(`sliceFeatures: the slice has ${slice.length} pixels, a ${width}x${height} slice needs ${n}.`);
  const out = new Float32Array(featureCount * n);
  out.set(slice, 0);
  const smoothed: Float32Array[] = [];
  featureSigmas.forEach((sigma, s) => {
    const g = gaussianSmooth(slice, width, height, sigma);
    smoothed.push(g);
    const base = (1 + 3 * s) * n;
    out.set(g, base);
    for (let y = 0; y < height; y += 1) {
      const up = Math.max(0, y - 1) * width;
      const down = Math.min(height - 1, y + 1) * width;
      const row = y * width;
      for (let x = 0; x < width; x += 1) {
        const left = Math.max(0, x - 1);
        const right = Math.min(width - 1, x + 1);
        const centre = g[row + x] as number;
        const gx = ((g[row + right] as number) - (g[row + left] as number)) / 2;
        const gy = ((g[down + x] as number) - (g[up + x] as number)) / 2;
        out[base + n + row + x] = Math.sqrt(gx * gx + gy * gy);
        out[base + 2 * n + row + x] = (g[row + right] as number) + (g[row + left] as number) + (g[down + x] as number) + (g[up + x] as number) - 4 * centre;
      }
    }
  });
  const dogBase = (1 + 3 * featureSigmas.length) * n;
  for (let s = 1; s < smoothed.length; s += 1) {
    const fine = smoothed[s - 1] as Float32Array;
    const coarse = smoothed[s] as Float32Array;
    const base = dogBase + (s - 1) * n;
    for (let i = 0; i < n; i += 1) out[base + i] = (fine[i] as number) - (coarse[i] as number);
  }
  return out;
}
