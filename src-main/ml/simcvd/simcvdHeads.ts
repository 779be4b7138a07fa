/**
 * SimCVD's two additions to the segmentation U-Net, kept in their own
 * parameter store so the U-Net (what is saved and segments) is unchanged:
 * the signed-distance head (1x1 conv on decoder block 4's features, tanh,
 * one map per foreground class) and the projection head of the
 * boundary-aware contrast (image + distance maps -> AlphaDropout -> average
 * pool to a fixed grid -> 3-layer MLP).
 */
import * as tf from '@tensorflow/tfjs';
import { addConv, addLinear, conv, linear } from '../layers';
import { ParamStore } from '../paramStore';
import { alphaDropout } from './simcvdLosses';

/** Prefix of every SimCVD parameter (they are trained beside the U-Net's by one Adam). */
export const simcvdPrefix = 'simcvd';

/** Sizes of the projection head. */
export interface ProjectorShape {
  /** The slice is average-pooled to grid x grid before the MLP (the paper pools to 128 x 128 at 112-voxel crops). */
  readonly grid: number;
  readonly hidden: number;
  readonly out: number;
}

export const defaultProjector: ProjectorShape = { grid: 16, hidden: 128, out: 64 };

/** The heads for a U-Net of base width `width` and `classes` classes. */
export function createSimcvdHeads(width: number, classes: number, shape: ProjectorShape, seed: number): ParamStore {
  const store = new ParamStore();
  addConv(store, `${simcvdPrefix}.sdm`, 1, width, classes - 1, true, seed);
  const inputs = shape.grid * shape.grid * classes; // image + K-1 distance maps
  addLinear(store, `${simcvdPrefix}.proj1`, inputs, shape.hidden, seed);
  addLinear(store, `${simcvdPrefix}.proj2`, shape.hidden, shape.hidden, seed);
  addLinear(store, `${simcvdPrefix}.proj3`, shape.hidden, shape.out, seed);
  return store;
}

/** Signed distance maps [B, H, W, K-1] in (-1, 1) from decoder block 4's features. */
export function distanceHead(store: ParamStore, features: tf.Tensor4D): tf.Tensor4D {
  return tf.tanh(conv(store, `${simcvdPrefix}.sdm`, features));
}

/**
 * Per-slice embeddings [B, out] of the image [B, H, W, 1] with its distance
 * maps [B, H, W, K-1]; `dropoutSeed` draws this view's AlphaDropout mask.
 */
export function projectSlices(store: ParamStore, images: tf.Tensor4D, distances: tf.Tensor4D, grid: number, dropout: number, dropoutSeed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, h, w] = images.shape;
    if (h % grid !== 0 || w % grid !== 0) throw new Error(`projectSlices: ${h}x${w} slices cannot be pooled to ${grid}x${grid}.`);
    const features = alphaDropout(tf.concat([images, distances], 3), dropout, dropoutSeed);
    const pooled = tf.avgPool(features, [h / grid, w / grid], [h / grid, w / grid], 'valid');
    const flat = tf.reshape(pooled, [b, -1]) as tf.Tensor2D;
    const hidden = tf.relu(linear(store, `${simcvdPrefix}.proj2`, tf.relu(linear(store, `${simcvdPrefix}.proj1`, flat))));
    return linear(store, `${simcvdPrefix}.proj3`, hidden);
  });
}
