/**
 * Spatial augmentation on the device (docs/macl-method.md 3.2, 6.3): mirror on each axis
 * with p = 0.5, then with p = 0.67 a random rotation, isotropic scale and
 * translation; one tf.image.transform per batch (bilinear, zero fill). Elastic
 * deformation is left out (optional in docs/macl-method.md 6.3). The non-spatial
 * augmentation is the identity (I1 = I2 = X; docs/macl-method.md 6.3, paper). Run it outside
 * the gradient tape.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from './random';

/** Spatial augmentation settings; the defaults follow the reference code (docs/macl-method.md 3.2). */
export interface AugmentOptions {
  /** Mirror each axis with p = 0.5 (default true). */
  readonly flip?: boolean;
  /** Probability of the rotation/scale/translation part (default 0.67). */
  readonly probability?: number;
  /** Rotation range in radians (default [0, 2 pi], the reference code's). */
  readonly rotation?: readonly [number, number];
  /** Isotropic scale range (default [0.7, 1.3]). */
  readonly scale?: readonly [number, number];
  /** Largest shift as a fraction of the image size (default 0.1). */
  readonly translate?: number;
}

/**
 * The pre-training's augmentation without the mirror, for fine-tuning (an
 * option, not the default: without the mirror the Colin27 whole head
 * collapsed on one seed of three, 0.515 against 0.949; the fine-tuner keeps
 * the mirror and gives mirrored samples only the labels it does not
 * contradict, mirrorSafeLabels.ts).
 * Fine-tuning segments the very volume it was stroked on, in its own
 * orientation, and a mirror turns a left structure into its right twin, so
 * the strokes of a left/right pair (hippocampus L and R) asked for opposite
 * answers on the same picture and were never fitted. Rotations are kept
 * (a half turn moves the left structure to the right too, but upside down,
 * which the anatomy around it tells apart). docs/eval-protocol.md, session 10.
 */
export const finetuneAugmentation: AugmentOptions = { flip: false };

/** Everything off: an exact identity (useful for tests and for inference-like runs). */
export const noAugmentation: AugmentOptions = { flip: false, probability: 0 };

/** Label value written where the transform samples outside the image: ignored by the loss. */
export const ignoreLabel = -1;

/** One batch's random transforms: the rows for tf.image.transform and, per sample, whether it reflects. */
export interface RandomAffine {
  readonly rows: Float32Array;
  /** 1 where the sample's transform reflects (exactly one axis mirrored: its determinant is negative), 0 where it is a rotation. */
  readonly reflected: Uint8Array;
}

/**
 * The largest turn of an upright sample (30 degrees): a structure's side is
 * then still where the volume has it, so a left structure is told from its
 * right twin by position. With any turn only its handedness would tell them
 * apart (a half turn puts the left hippocampus where the right one is, upside
 * down), which the network does not learn from a few strokes: with turns of
 * +-15 and +-30 degrees the nuclei's strokes were fitted, with any turn not
 * (docs/eval-protocol.md, session 10).
 */
export const uprightTurn = Math.PI / 6;

/** What the mirror guard (mirrorSafeLabels.ts) asks of a batch. */
export interface SidedSamples {
  /** The labels of the samples whose transform reflects, [B, H, W] like the strokes: left/right pairs swapped, one-sided structures unlabelled. */
  readonly reflected: tf.Tensor3D;
  /** 1 for a sample that shows a one-sided structure or a pair: it is kept upright (turned at most uprightTurn, rows never mirrored). */
  readonly upright: ArrayLike<number>;
}

/**
 * One projective row per sample for tf.image.transform, mapping output pixel
 * (x, y) to the input pixel it samples: in = c + A (out - c) + u, with
 * A = (1/s) Rot(theta) Flip, around the image centre c. Mirroring both axes
 * is a half turn, not a reflection. A sample marked `upright` takes the same
 * draws, its turn mapped into +-uprightTurn and its rows never mirrored
 * (mirroring rows is mirroring columns and a half turn), so the random
 * sequence, and every other sample, is the same either way.
 */
export function randomAffine(rng: Rng, batch: number, height: number, width: number, options: AugmentOptions = {}, upright?: ArrayLike<number>): RandomAffine {
  const flip = options.flip ?? true;
  const probability = options.probability ?? 0.67;
  const [rotMin, rotMax] = options.rotation ?? [0, 2 * Math.PI];
  const [scaleMin, scaleMax] = options.scale ?? [0.7, 1.3];
  const translate = options.translate ?? 0.1;
  if (!(probability >= 0 && probability <= 1)) throw new Error(`augment: probability must be in [0, 1], got ${probability}.`);
  if (!(scaleMin > 0 && scaleMax >= scaleMin)) throw new Error(`augment: scale range must be positive and ordered, got [${scaleMin}, ${scaleMax}].`);
  const rows = new Float32Array(batch * 8);
  const reflected = new Uint8Array(batch);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let i = 0; i < batch; i += 1) {
    const kept = (upright?.[i] ?? 0) === 1;
    const fx = flip && rng.next() < 0.5 ? -1 : 1;
    const fy = flip && rng.next() < 0.5 && !kept ? -1 : 1;
    reflected[i] = fx * fy < 0 ? 1 : 0;
    let theta = 0;
    let s = 1;
    let ux = 0;
    let uy = 0;
    if (rng.next() < probability) {
      const u = rng.next();
      theta = kept ? (2 * u - 1) * uprightTurn : rotMin + (rotMax - rotMin) * u;
      s = rng.uniform(scaleMin, scaleMax);
      ux = rng.uniform(-translate, translate) * width;
      uy = rng.uniform(-translate, translate) * height;
    }
    const cos = Math.cos(theta) / s;
    const sin = Math.sin(theta) / s;
    const a00 = cos * fx;
    const a01 = -sin * fy;
    const a10 = sin * fx;
    const a11 = cos * fy;
    rows.set([a00, a01, cx - a00 * cx - a01 * cy + ux, a10, a11, cy - a10 * cx - a11 * cy + uy, 0, 0], i * 8);
  }
  return { rows, reflected };
}

/** The rows of randomAffine alone (the images-only augmentation does not care which samples reflect). */
export function randomAffineRows(rng: Rng, batch: number, height: number, width: number, options: AugmentOptions = {}): Float32Array {
  return randomAffine(rng, batch, height, width, options).rows;
}

/**
 * tf.image.transform with one row per image. The CPU kernel of tfjs 4.22
 * returns after the first image of a batch (a `return` inside its batch loop),
 * leaving the others at the fill value, so on 'cpu' each image is transformed
 * on its own; other backends get the whole batch in one call.
 */
export function transformBatch(images: tf.Tensor4D, rows: Float32Array, interpolation: 'bilinear' | 'nearest', fillValue: number): tf.Tensor4D {
  const b = images.shape[0];
  if (rows.length !== b * 8) throw new Error(`transformBatch: expected ${b * 8} transform values for ${b} images, got ${rows.length}.`);
  return tf.tidy(() => {
    if (tf.getBackend() !== 'cpu' || b === 1) {
      return tf.image.transform(images, tf.tensor2d(rows, [b, 8]), interpolation, 'constant', fillValue);
    }
    const parts = tf.split(images, b, 0).map((image, i) =>
      tf.image.transform(image as tf.Tensor4D, tf.tensor2d(rows.subarray(i * 8, i * 8 + 8), [1, 8]), interpolation, 'constant', fillValue),
    );
    return tf.concat(parts, 0);
  });
}

/** Augments images [B, H, W, C] with fresh random transforms (bilinear, zero border). */
export function augmentImages(images: tf.Tensor4D, rng: Rng, options: AugmentOptions = {}): tf.Tensor4D {
  const [b, h, w] = images.shape;
  const rows = randomAffineRows(rng, b, h, w, options);
  return tf.tidy(() => transformBatch(images, rows, 'bilinear', 0));
}

/**
 * Augments images [B, H, W, C] and their int32 labels [B, H, W] with the same
 * transforms: bilinear for images, nearest for labels, whose border becomes
 * ignoreLabel (no supervision where the image was padded). `valid` [B, H, W, 1]
 * is 1 where the output samples the image and 0 where it is padding.
 * `sided`, when given, is the mirror guard's (mirrorSafeLabels.ts): samples
 * showing a one-sided structure or a pair stay upright, and reflected samples
 * take its labels. The random sequence is the same either way.
 */
export function augmentWithLabels(images: tf.Tensor4D, labels: tf.Tensor3D, rng: Rng, options: AugmentOptions = {}, sided?: SidedSamples): { images: tf.Tensor4D; labels: tf.Tensor3D; valid: tf.Tensor4D } {
  const [b, h, w] = images.shape;
  if (sided !== undefined && sided.upright.length !== b) throw new Error(`augmentWithLabels: ${sided.upright.length} upright flags for ${b} images.`);
  for (const [name, t] of [['labels', labels], ['reflected labels', sided?.reflected]] as const) {
    if (t !== undefined && (t.shape[0] !== b || t.shape[1] !== h || t.shape[2] !== w)) {
      throw new Error(`augmentWithLabels: ${name} [${t.shape.join(', ')}] do not match images [${images.shape.join(', ')}].`);
    }
  }
  const { rows, reflected } = randomAffine(rng, b, h, w, options, sided?.upright);
  return tf.tidy(() => {
    const out = transformBatch(images, rows, 'bilinear', 0);
    // Sample i takes row i of the strokes or row b + i (its reflected labels) of the two stacked.
    const chosen = sided === undefined || !reflected.includes(1) ? labels : tf.gather(tf.concat([labels, sided.reflected], 0), tf.tensor1d(Array.from(reflected, (r, i) => i + r * b), 'int32'));
    const labelFloat = tf.expandDims(tf.cast(chosen, 'float32'), 3) as tf.Tensor4D;
    const warped = transformBatch(labelFloat, rows, 'nearest', ignoreLabel);
    const valid = transformBatch(tf.onesLike(labelFloat), rows, 'nearest', 0);
    return { images: out, labels: tf.cast(tf.squeeze(warped, [3]), 'int32') as tf.Tensor3D, valid };
  });
}
