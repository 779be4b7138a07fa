/**
 * Resampling slices between a series' grid and the training size. Images use
 * bilinear, labels nearest; both with half-pixel centres so that the two
 * grids share their outer edges (the same rule both ways, so inference maps
 * back exactly onto the grid training saw).
 */
import * as tf from '@tensorflow/tfjs';

/** Images [B, H, W, C] to [B, h, w, C], bilinear. Returns a new tensor (a copy when the size is unchanged). */
export function resizeImages(images: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D {
  const [, h, w] = images.shape;
  if (h === size[0] && w === size[1]) return tf.clone(images);
  return tf.image.resizeBilinear(images, [size[0], size[1]], false, true);
}

/**
 * int32 labels [B, H, W] to [B, h, w]; values are never blended. Shrinking
 * (both sides no larger) gives each output pixel the most frequent stroked
 * value (>= 0) of the input pixels it covers, -1 only where none of them is
 * stroked: nearest sampling kept about one row in three of a 3-voxel stroke
 * on a 181x217 slice trained at 64 px, and dropped a one-voxel stroke
 * altogether. Growing is nearest.
 */
export function resizeLabels(labels: tf.Tensor3D, size: readonly [number, number]): tf.Tensor3D {
  const [batch, h, w] = labels.shape;
  if (h === size[0] && w === size[1]) return tf.clone(labels);
  if (size[0] <= h && size[1] <= w) return tf.tensor3d(shrinkStrokes(labels.dataSync() as Int32Array, batch, h, w, size[0], size[1]), [batch, size[0], size[1]], 'int32');
  return tf.tidy(() => {
    const asImage = tf.expandDims(tf.cast(labels, 'float32'), 3) as tf.Tensor4D;
    const resized = tf.image.resizeNearestNeighbor(asImage, [size[0], size[1]], false, true);
    return tf.cast(tf.squeeze(resized, [3]), 'int32') as tf.Tensor3D;
  });
}

/** The footprint vote of resizeLabels on plain arrays (ties go to the larger value: a structure over background). */
export function shrinkStrokes(values: Int32Array, batch: number, height: number, width: number, outHeight: number, outWidth: number): Int32Array {
  const out = new Int32Array(batch * outHeight * outWidth).fill(-1);
  const counts = new Map<number, number>();
  for (let b = 0; b < batch; b += 1) {
    for (let i = 0; i < outHeight; i += 1) {
      const y0 = Math.floor((i * height) / outHeight);
      const y1 = Math.max(y0 + 1, Math.floor(((i + 1) * height) / outHeight));
      for (let j = 0; j < outWidth; j += 1) {
        const x0 = Math.floor((j * width) / outWidth);
        const x1 = Math.max(x0 + 1, Math.floor(((j + 1) * width) / outWidth));
        counts.clear();
        for (let y = y0; y < y1; y += 1) {
          const row = (b * height + y) * width;
          for (let x = x0; x < x1; x += 1) {
            const v = values[row + x] ?? -1;
            if (v >= 0) counts.set(v, (counts.get(v) ?? 0) + 1);
          }
        }
        let best = -1;
        let bestCount = 0;
        for (const [v, n] of counts) {
          if (n > bestCount || (n === bestCount && v > best)) {
            best = v;
            bestCount = n;
          }
        }
        out[(b * outHeight + i) * outWidth + j] = best;
      }
    }
  }
  return out;
}

/** Checks a square training size: a positive multiple of `divisor`. */
export function checkTrainingSize(size: number, divisor: number, where: string): void {
  if (!Number.isInteger(size) || size < divisor || size % divisor !== 0) {
    throw new Error(`${where}: size must be a positive multiple of ${divisor}, got ${size}.`);
  }
}
