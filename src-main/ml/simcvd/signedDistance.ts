/**
 * Normalised signed distance maps, the regression target of SimCVD's
 * distance head (the DTC convention, Luo et al. 2021): negative inside the
 * structure, positive outside, 0 on its boundary; the inside part is divided
 * by its largest distance and so is the outside part, so the map lies in
 * [-1, 1] like the head's tanh. Exact Euclidean distances (Felzenszwalb and
 * Huttenlocher's two 1-D passes), in pixels of the slice.
 */

/** Stands for "no site" in the squared-distance arrays (finite, so the parabola maths stays exact). */
const far = 1e20;

/** Squared distance transform of one row/column (Felzenszwalb and Huttenlocher 2012): f holds 0 at sites and `far` elsewhere. */
function distance1d(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  const fv = (q: number): number => (f[q] ?? far) + q * q;
  for (let q = 1; q < n; q += 1) {
    let s = (fv(q) - fv(v[k] ?? 0)) / (2 * q - 2 * (v[k] ?? 0));
    while (k > 0 && s <= (z[k] ?? 0)) {
      k -= 1;
      s = (fv(q) - fv(v[k] ?? 0)) / (2 * q - 2 * (v[k] ?? 0));
    }
    k += 1;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q += 1) {
    while ((z[k + 1] ?? Infinity) < q) k += 1;
    const r = v[k] ?? 0;
    out[q] = Math.min(far, (q - r) * (q - r) + (f[r] ?? far));
  }
}

/** Euclidean distance of every pixel of a width x height slice to the nearest pixel where `site` is true (Infinity when there is none). */
export function distanceToSites(site: (i: number) => boolean, width: number, height: number): Float64Array {
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const grid = new Float64Array(width * height);
  for (let x = 0; x < width; x += 1) {
    for (let y = 0; y < height; y += 1) f[y] = site(y * width + x) ? 0 : far;
    distance1d(f, height, out, v, z);
    for (let y = 0; y < height; y += 1) grid[y * width + x] = out[y] ?? far;
  }
  for (let y = 0; y < height; y += 1) {
    f.set(grid.subarray(y * width, (y + 1) * width));
    distance1d(f, width, out, v, z);
    for (let x = 0; x < width; x += 1) grid[y * width + x] = (out[x] ?? far) >= far ? Infinity : Math.sqrt(out[x] ?? far);
  }
  return grid;
}

/**
 * The normalised signed distance map of `mask` (true = inside) on one slice.
 * A slice without inside pixels is +1 everywhere (all outside); one without
 * outside pixels is -1 everywhere.
 */
export function signedDistanceMap(mask: ArrayLike<boolean>, width: number, height: number): Float32Array {
  const size = width * height;
  const result = new Float32Array(size);
  let inside = 0;
  for (let i = 0; i < size; i += 1) if (mask[i] === true) inside += 1;
  if (inside === 0 || inside === size) return result.fill(inside === 0 ? 1 : -1);
  // Distance to the other side's nearest pixel minus one pixel puts the boundary pixels at 0.
  const toInside = distanceToSites((i) => mask[i] === true, width, height);
  const toOutside = distanceToSites((i) => mask[i] !== true, width, height);
  let maxIn = 0;
  let maxOut = 0;
  for (let i = 0; i < size; i += 1) {
    if (mask[i] === true) maxIn = Math.max(maxIn, (toOutside[i] ?? 0) - 1);
    else maxOut = Math.max(maxOut, (toInside[i] ?? 0) - 1);
  }
  for (let i = 0; i < size; i += 1) {
    if (mask[i] === true) result[i] = maxIn > 0 ? (1 - (toOutside[i] ?? 1)) / maxIn : 0;
    else result[i] = maxOut > 0 ? ((toInside[i] ?? 1) - 1) / maxOut : 0;
  }
  return result;
}

/**
 * Targets for a batch of class maps [B, H, W] (values 0..K-1): one normalised
 * signed distance map per foreground class, laid out [B, H, W, K-1].
 */
export function classSignedDistances(classes: ArrayLike<number>, batch: number, height: number, width: number, classCount: number): Float32Array {
  const plane = width * height;
  const channels = classCount - 1;
  const out = new Float32Array(batch * plane * channels);
  const mask = new Array<boolean>(plane);
  for (let b = 0; b < batch; b += 1) {
    for (let c = 1; c < classCount; c += 1) {
      for (let i = 0; i < plane; i += 1) mask[i] = classes[b * plane + i] === c;
      const map = signedDistanceMap(mask, width, height);
      for (let i = 0; i < plane; i += 1) out[(b * plane + i) * channels + c - 1] = map[i] ?? 0;
    }
  }
  return out;
}
