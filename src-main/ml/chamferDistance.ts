/**
 * A 2-D distance map: a two-pass chamfer transform (weights 1 and sqrt 2,
 * within 8 % of Euclidean). The scribble simulation finds a structure's
 * eroded core and the band just outside it with it (eval/scribble.ts), and
 * the slice interpolation turns a painted slice's shape into a signed
 * distance (ml/sliceInterpolation.ts).
 */

/**
 * Distance (in voxels) from every pixel of a width x height slice to the
 * nearest pixel where `source` is false; 0 on those pixels. Pixels outside
 * the slice count as not `source` when `borderIsOutside` is true.
 */
export function chamferDistance(source: (i: number) => boolean, width: number, height: number, borderIsOutside: boolean): Float32Array {
  const far = width + height;
  const d = new Float32Array(width * height);
  for (let i = 0; i < d.length; i += 1) d[i] = source(i) ? far : 0;
  const edge = borderIsOutside ? 1 : far;
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? edge - 1 : (d[x + y * width] ?? 0));
  const diagonal = Math.SQRT2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = x + y * width;
      const here = d[i] ?? 0;
      if (here === 0) continue;
      d[i] = Math.min(here, at(x - 1, y) + 1, at(x, y - 1) + 1, at(x - 1, y - 1) + diagonal, at(x + 1, y - 1) + diagonal);
    }
  }
  for (let y = height - 1; y >= 0; y -= 1) {
    for (let x = width - 1; x >= 0; x -= 1) {
      const i = x + y * width;
      const here = d[i] ?? 0;
      if (here === 0) continue;
      d[i] = Math.min(here, at(x + 1, y) + 1, at(x, y + 1) + 1, at(x + 1, y + 1) + diagonal, at(x - 1, y + 1) + diagonal);
    }
  }
  return d;
}
