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

/** int32 labels [B, H, W] to [B, h, w], nearest (label values are never blended). */
export function resizeLabels(labels: tf.Tensor3D, size: readonly [number, number]): tf.Tensor3D {
  const [, h, w] = labels.shape;
  if (h === size[0] && w === size[1]) return tf.clone(labels);
  return tf.tidy(() => {
    const asImage = tf.expandDims(tf.cast(labels, 'float32'), 3) as tf.Tensor4D;
    const resized = tf.image.resizeNearestNeighbor(asImage, [size[0], size[1]], false, true);
    return tf.cast(tf.squeeze(resized, [3]), 'int32') as tf.Tensor3D;
  });
}

/** Checks a square training size: a positive multiple of `divisor`. */
export function checkTrainingSize(size: number, divisor: number, where: string): void {
  if (!Number.isInteger(size) || size < divisor || size % divisor !== 0) {
    throw new Error(`${where}: size must be a positive multiple of ${divisor}, got ${size}.`);
  }
}
