/**
 * The MACL pre-training module (docs/macl-method.md 2.2): one shared encoder run 4 times,
 * the first two decoder blocks on the dominant (x0.25) branch only, an
 * auxiliary pixel projector (auxPix) and two instance projectors (auxIns,
 * domIns). Decoder blocks 3-4 are not built: the reference code builds and
 * runs them but never uses their output (docs/macl-method.md 2.2, 6.3).
 */
import * as tf from '@tensorflow/tfjs';
import { addBatchNorm, batchNorm, type BnContext } from './batchNorm';
import { addDecoderBlock, runDecoder } from './decoder';
import { addEncoder, runEncoder } from './encoder';
import { addConv, addLinear, conv, leaky, linear } from './layers';
import { ParamStore } from './paramStore';
import { checkInput, checkMaclSpec, defaultWidth, levelChannels, pretrainDivisor, projectionDim, unetDivisor, type MaclSpec } from './unetSpec';

/** The 4 inputs of one step (docs/macl-method.md 2.1). With identity non-spatial augmentation I1 = I2 = X. */
export interface MaclViews {
  /** img1 = I2, full resolution [B, H, W, C]: auxiliary bottleneck and pixel projection. */
  readonly aux: tf.Tensor4D;
  /** img3 = V2, full resolution: auxiliary instance projection. */
  readonly auxVaried: tf.Tensor4D;
  /** down(img2) = down(I1), [B, H/4, W/4, C]: dominant bottleneck and pixel embedding. */
  readonly dom: tf.Tensor4D;
  /** down(img4) = down(V1): dominant instance projection. */
  readonly domVaried: tf.Tensor4D;
}

/** What the losses consume (docs/macl-method.md 2.2 notation). */
export interface MaclOutputs {
  /** Y~: auxiliary bottleneck [B, H/16, W/16, 16f]. */
  readonly auxBottleneck: tf.Tensor4D;
  /** Z~l: auxiliary pixel projection [B, H/16, W/16, 4f]. */
  readonly auxPixel: tf.Tensor4D;
  /** Z~g: auxiliary instance projection [B, 4f]. */
  readonly auxInstance: tf.Tensor2D;
  /** Y: dominant bottleneck [B, H/64, W/64, 16f]. */
  readonly domBottleneck: tf.Tensor4D;
  /** Zl: decoder block-2 output on the dominant view [B, H/16, W/16, 4f]; no extra head (docs/macl-method.md 6.1 item 2). */
  readonly domPixel: tf.Tensor4D;
  /** Zg: dominant instance projection [B, 4f]. */
  readonly domInstance: tf.Tensor2D;
}

/** The pre-training module and its parameters. */
export interface MaclModel {
  readonly spec: MaclSpec;
  readonly params: ParamStore;
  forward(views: MaclViews, ctx: BnContext): MaclOutputs;
  dispose(): void;
}

/** Options of createMaclModel (defaults: 1 input channel, width 32, seed 1). */
export interface MaclModelOptions {
  readonly inChannels?: number;
  readonly width?: number;
  readonly seed?: number;
  /**
   * Batch norm between the two linear layers of the instance projectors (SimCLR's projection
   * head). Without it a small encoder's pooled features share one large positive direction
   * (LeakyReLU outputs averaged over the image), every slice's projection points the same way,
   * and the image-level loss sits at its uniform value (docs/ml-notes.md).
   */
  readonly projectorNorm?: boolean;
}

function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}

/** Builds the pre-training module with fresh weights. */
export function createMaclModel(options: MaclModelOptions = {}): MaclModel {
  const spec: MaclSpec = { inChannels: options.inChannels ?? 1, width: options.width ?? defaultWidth };
  checkMaclSpec(spec, 'createMaclModel');
  const seed = options.seed ?? 1;
  const { centre } = levelChannels(spec.width);
  const dim = projectionDim(spec.width);
  const params = new ParamStore();
  addEncoder(params, spec.inChannels, spec.width, seed);
  addDecoderBlock(params, spec.width, 1, seed);
  addDecoderBlock(params, spec.width, 2, seed);
  // Auxiliary pixel projector: conv3x3 16f->4f, BN, LReLU, conv3x3 4f->4f, BN, LReLU.
  addConv(params, 'auxPix.conv1', 3, centre, dim, true, seed);
  addBatchNorm(params, 'auxPix.bn1', dim);
  addConv(params, 'auxPix.conv2', 3, dim, dim, true, seed);
  addBatchNorm(params, 'auxPix.bn2', dim);
  // Instance projectors: GAP -> Linear -> ReLU -> Linear.
  addLinear(params, 'auxIns.fc1', centre, dim, seed);
  addLinear(params, 'auxIns.fc2', dim, dim, seed);
  addLinear(params, 'domIns.fc1', dim, dim, seed);
  addLinear(params, 'domIns.fc2', dim, dim, seed);
  const projectorNorm = options.projectorNorm ?? false;
  if (projectorNorm) {
    addBatchNorm(params, 'auxIns.bn1', dim);
    addBatchNorm(params, 'domIns.bn1', dim);
  }

  const instance = (prefix: string, x: tf.Tensor4D, ctx: BnContext): tf.Tensor2D => {
    const hidden = linear(params, `${prefix}.fc1`, globalAvgPool(x));
    return linear(params, `${prefix}.fc2`, tf.relu(projectorNorm ? batchNorm(params, `${prefix}.bn1`, hidden, ctx) : hidden));
  };

  return {
    spec,
    params,
    forward(views, ctx) {
      checkInput('MaclModel.forward (aux)', views.aux.shape, spec.inChannels, pretrainDivisor, 2);
      checkInput('MaclModel.forward (auxVaried)', views.auxVaried.shape, spec.inChannels, pretrainDivisor, 2);
      checkInput('MaclModel.forward (dom)', views.dom.shape, spec.inChannels, unetDivisor, 2);
      checkInput('MaclModel.forward (domVaried)', views.domVaried.shape, spec.inChannels, unetDivisor, 2);
      const [, h, w] = views.aux.shape;
      if (views.dom.shape[1] * 4 !== h || views.dom.shape[2] * 4 !== w) {
        throw new Error(`MaclModel.forward: the dominant views must be x0.25 of the auxiliary ones (${h / 4}x${w / 4}), got ${views.dom.shape[1]}x${views.dom.shape[2]}.`);
      }
      // One encoder, shared weights, 4 passes; no stop-gradient anywhere (docs/macl-method.md 6.1 item 1).
      // Pass order as in the reference forward (img1, img2, img3, img4): it fixes the order of the BN running-stat updates.
      const auxBottleneck = runEncoder(params, views.aux, ctx).bottleneck;
      const domEncoded = runEncoder(params, views.dom, ctx);
      const auxVaried = runEncoder(params, views.auxVaried, ctx).bottleneck;
      const domVariedEncoded = runEncoder(params, views.domVaried, ctx);
      const pix1 = leaky(batchNorm(params, 'auxPix.bn1', conv(params, 'auxPix.conv1', auxBottleneck), ctx));
      const auxPixel = leaky(batchNorm(params, 'auxPix.bn2', conv(params, 'auxPix.conv2', pix1), ctx));
      return {
        auxBottleneck,
        auxPixel,
        auxInstance: instance('auxIns', auxVaried, ctx),
        domBottleneck: domEncoded.bottleneck,
        domPixel: runDecoder(params, domEncoded, 2, ctx),
        domInstance: instance('domIns', runDecoder(params, domVariedEncoded, 2, ctx), ctx),
      };
    },
    dispose: () => params.dispose(),
  };
}
