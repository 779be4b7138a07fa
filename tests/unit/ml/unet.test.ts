import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inferenceContext, trainingContext, discardBnStats } from '../../../src-main/ml/batchNorm';
import { channelOpsPaths, forceChannelOpsPath } from '../../../src-main/ml/channelOps';
import { runEncoder } from '../../../src-main/ml/encoder';
import { kaimingStd } from '../../../src-main/ml/init';
import { addConvTranspose2x2, convTranspose2x2 } from '../../../src-main/ml/layers';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { ParamStore } from '../../../src-main/ml/paramStore';
import { createUNet } from '../../../src-main/ml/unet';
import { maxAbs, useCpu } from './helpers';

beforeAll(useCpu);

let leakCheckStart = 0;
afterEach(() => {
  expect(tf.memory().numTensors).toBe(leakCheckStart);
});

function shapeOf(t: tf.Tensor): number[] {
  return t.shape.slice();
}

describe('U-Net shapes', () => {
  it.each([
    { width: 4, inChannels: 1, classes: 2, h: 32, w: 32, batch: 2 },
    { width: 8, inChannels: 1, classes: 4, h: 48, w: 64, batch: 2 },
    { width: 4, inChannels: 3, classes: 3, h: 16, w: 32, batch: 3 },
  ])('gives logits [B, H, W, K] and encoder skips at H..H/8 for %o', ({ width, inChannels, classes, h, w, batch }) => {
    leakCheckStart = tf.memory().numTensors;
    const unet = createUNet({ width, inChannels, classes, seed: 1 });
    tf.tidy(() => {
      const x = tf.randomUniform([batch, h, w, inChannels]) as tf.Tensor4D;
      const ctx = trainingContext();
      expect(shapeOf(unet.logits(x, ctx))).toEqual([batch, h, w, classes]);
      discardBnStats(ctx);
      expect(shapeOf(unet.logits(x, inferenceContext()))).toEqual([batch, h, w, classes]);
      const enc = runEncoder(unet.params, x, inferenceContext());
      expect(enc.skips.map(shapeOf)).toEqual([1, 2, 4, 8].map((d) => [batch, h / d, w / d, width * d]));
      expect(shapeOf(enc.bottleneck)).toEqual([batch, h / 16, w / 16, 16 * width]);
    });
    unet.dispose();
  });

  it.each([{ size: 64, width: 4, batch: 2 }, { size: 128, width: 2, batch: 3 }])('MACL module outputs for %o', ({ size, width, batch }) => {
    leakCheckStart = tf.memory().numTensors;
    const model = createMaclModel({ width, seed: 2 });
    tf.tidy(() => {
      const full = tf.randomUniform([batch, size, size, 1]) as tf.Tensor4D;
      const quarter = tf.randomUniform([batch, size / 4, size / 4, 1]) as tf.Tensor4D;
      const ctx = trainingContext();
      const out = model.forward({ aux: full, auxVaried: full, dom: quarter, domVaried: quarter }, ctx);
      const g = size / 16;
      expect(shapeOf(out.auxBottleneck)).toEqual([batch, g, g, 16 * width]);
      expect(shapeOf(out.auxPixel)).toEqual([batch, g, g, 4 * width]);
      expect(shapeOf(out.domPixel)).toEqual([batch, g, g, 4 * width]);
      expect(shapeOf(out.domBottleneck)).toEqual([batch, size / 64, size / 64, 16 * width]);
      expect(shapeOf(out.auxInstance)).toEqual([batch, 4 * width]);
      expect(shapeOf(out.domInstance)).toEqual([batch, 4 * width]);
      // Shared encoder run 4 times: 4 x 8 BN layers, plus 2 per decoder block on 2 passes, plus the pixel projector's 2.
      expect(ctx.pending.length).toBe(4 * 8 + 2 * 2 * 2 + 2);
      discardBnStats(ctx);
    });
    model.dispose();
  });
});

describe('argument checks', () => {
  it('rejects bad specs with readable errors', () => {
    leakCheckStart = tf.memory().numTensors;
    expect(() => createUNet({ classes: 1 })).toThrow(/classes must be an integer from 2/);
    expect(() => createUNet({ classes: 300 })).toThrow(/classes must be an integer from 2 .* to 255/);
    expect(() => createUNet({ classes: 3, width: 0 })).toThrow(/width must be an integer from 1 to 256, got 0/);
    expect(() => createUNet({ classes: 3, width: 2.5 })).toThrow(/width must be an integer/);
    expect(() => createUNet({ classes: 3, inChannels: 0 })).toThrow(/inChannels must be an integer/);
    expect(() => createMaclModel({ width: -1 })).toThrow(/createMaclModel: width/);
    expect(tf.memory().numTensors).toBe(leakCheckStart);
  });

  it('rejects inputs of the wrong size, channels or batch', () => {
    const unet = createUNet({ classes: 3, width: 2 });
    const model = createMaclModel({ width: 2 });
    leakCheckStart = tf.memory().numTensors;
    tf.tidy(() => {
      expect(() => unet.logits(tf.zeros([2, 40, 40, 1]) as tf.Tensor4D, inferenceContext())).toThrow(/multiples of 16 \(4 poolings of 2\), got 40x40/);
      expect(() => unet.logits(tf.zeros([2, 32, 32, 2]) as tf.Tensor4D, inferenceContext())).toThrow(/input has 2 channels, the model expects 1/);
      expect(() => unet.logits(tf.zeros([1, 32, 32, 1]) as tf.Tensor4D, trainingContext())).toThrow(/batch must be at least 2/);
      const full = tf.zeros([2, 96, 96, 1]) as tf.Tensor4D;
      const quarter = tf.zeros([2, 24, 24, 1]) as tf.Tensor4D;
      expect(() => model.forward({ aux: full, auxVaried: full, dom: quarter, domVaried: quarter }, trainingContext())).toThrow(/multiples of 64 \(the x0.25 dominant view/);
      const ok = tf.zeros([2, 64, 64, 1]) as tf.Tensor4D;
      const wrong = tf.zeros([2, 32, 32, 1]) as tf.Tensor4D;
      expect(() => model.forward({ aux: ok, auxVaried: ok, dom: wrong, domVaried: wrong }, trainingContext())).toThrow(/x0.25 of the auxiliary ones \(16x16\)/);
    });
    expect(tf.memory().numTensors).toBe(leakCheckStart);
    unet.dispose();
    model.dispose();
    leakCheckStart = tf.memory().numTensors;
  });
});

describe('parameters', () => {
  it('match the table of docs/macl-method.md 1.1 for f = 32, C_in = 1', () => {
    leakCheckStart = tf.memory().numTensors;
    const unet = createUNet({ classes: 4, width: 32 });
    const macl = createMaclModel({ width: 32 });
    const m = (n: number): number => Math.round(n / 1e4) / 100; // millions, 2 decimals
    expect(m(unet.params.count('enc1', 'enc2', 'enc3', 'enc4', 'centre'))).toBe(4.71);
    expect(m(unet.params.count('centre'))).toBe(3.54);
    expect([1, 2, 3, 4].map((b) => m(unet.params.count(`dec${b}`)))).toEqual([2.3, 0.57, 0.14, 0.04]);
    expect(m(unet.params.count())).toBe(7.76);
    expect(m(macl.params.count('auxPix'))).toBe(0.74);
    expect(Math.round(macl.params.count('auxIns') / 1e3)).toBe(82);
    expect(Math.round(macl.params.count('domIns') / 1e3)).toBe(33);
    // The module built here runs only decoder blocks 1-2 (docs/macl-method.md 2.2, 6.3): 8.44 M. docs/macl-method.md's
    // 8.62 M (paper 8.63 M) also counts blocks 3-4, which the reference builds but never trains.
    expect(m(macl.params.count())).toBe(8.44);
    expect(m(macl.params.count() + unet.params.count('dec3', 'dec4'))).toBe(8.62);
    unet.dispose();
    macl.dispose();
  });

  it('has stable names, no head bias, and BN statistics as buffers', () => {
    leakCheckStart = tf.memory().numTensors;
    const unet = createUNet({ classes: 3, width: 2 });
    const names = unet.params.entries().map(([n]) => n);
    expect(names).toContain('enc1.conv1.w');
    expect(names).toContain('centre.conv2.b');
    expect(names).toContain('dec4.up.w');
    expect(names).toContain('head.w');
    expect(names).not.toContain('head.b');
    expect(names).not.toContain('centre.bn1.gamma'); // the centre has no BN
    expect(unet.params.kindOf('enc1.bn1.mean')).toBe('buffer');
    expect(unet.params.kindOf('enc1.bn1.gamma')).toBe('trainable');
    expect(unet.params.get('dec4.up.w').shape).toEqual([2, 2, 2, 4]); // conv2dTranspose layout [k, k, out, in]
    unet.dispose();
  });

  it('initialises with Kaiming-normal (a = 0.01, PyTorch fan_in), zero biases, BN 1/0', async () => {
    leakCheckStart = tf.memory().numTensors;
    const unet = createUNet({ classes: 3, width: 16, seed: 5 });
    const std = async (name: string): Promise<number> => {
      const m = tf.tidy(() => tf.moments(unet.params.get(name)).variance.sqrt());
      const v = (await m.data())[0] ?? NaN;
      m.dispose();
      return v;
    };
    expect(await std('enc3.conv2.w')).toBeCloseTo(kaimingStd(64 * 9), 3);
    // ConvTranspose2d: PyTorch's fan_in is dim 1 of [in, out, 2, 2], i.e. out * 4.
    expect(await std('dec1.up.w')).toBeCloseTo(kaimingStd(128 * 4), 3);
    expect(await maxAbs(unet.params.get('enc2.conv1.b'))).toBe(0);
    expect(await maxAbs(unet.params.get('enc2.bn1.beta'))).toBe(0);
    expect(await maxAbs(() => unet.params.get('enc2.bn1.gamma').sub(1))).toBe(0);
    unet.dispose();
  });

  it('uses the same weights for the same seed and different ones for another seed', async () => {
    leakCheckStart = tf.memory().numTensors;
    const [a, b, c] = [1, 1, 2].map((seed) => createUNet({ classes: 2, width: 2, seed }));
    if (!a || !b || !c) throw new Error('models');
    expect(await maxAbs(() => a.params.get('enc2.conv2.w').sub(b.params.get('enc2.conv2.w')))).toBe(0);
    expect(await maxAbs(() => a.params.get('enc2.conv2.w').sub(c.params.get('enc2.conv2.w')))).toBeGreaterThan(0);
    [a, b, c].forEach((u) => u.dispose());
  });
});

describe('convTranspose2x2', () => {
  // Every path: the stock one (a matmul with autodiff) and the WASM one (hand-written gradients without transposed operands).
  it.each(channelOpsPaths)('equals tf.conv2dTranspose (k = 2, s = 2) with bias, values and gradients (%s path)', async (path) => {
    leakCheckStart = tf.memory().numTensors;
    forceChannelOpsPath(path);
    const store = new ParamStore();
    addConvTranspose2x2(store, 'up', 6, 3, 1);
    const bias = tf.randomNormal([3], 0, 1, 'float32', 2);
    store.get('up.b').assign(bias);
    bias.dispose();
    const x = tf.randomNormal([2, 4, 5, 6], 0, 1, 'float32', 3) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 8, 10, 3], 0, 1, 'float32', 4);
    const w = store.get('up.w');
    const ref = tf.variableGrads(() => tf.add(tf.conv2dTranspose(x, w as tf.Tensor4D, [2, 8, 10, 3], 2, 'valid'), store.get('up.b')).mul(dy).sum() as tf.Scalar, [w]);
    const refDx = tf.grad((xi: tf.Tensor) => tf.conv2dTranspose(xi as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 10, 3], 2, 'valid').mul(dy).sum())(x);
    const ours = tf.variableGrads(() => convTranspose2x2(store, 'up', x).mul(dy).sum() as tf.Scalar, [w]);
    const oursDx = tf.grad((xi: tf.Tensor) => convTranspose2x2(store, 'up', xi as tf.Tensor4D).mul(dy).sum())(x);
    expect(Math.abs((await ours.value.data())[0]! - (await ref.value.data())[0]!)).toBeLessThan(1e-3);
    const [gm, gr] = [ours.grads[w.name], ref.grads[w.name]];
    if (!gm || !gr) throw new Error('missing gradients');
    expect(await maxAbs(() => gm.sub(gr))).toBeLessThan(1e-4);
    expect(await maxAbs(() => oursDx.sub(refDx))).toBeLessThan(1e-4);
    tf.dispose([x, dy, ours.value, ref.value, gm, gr, oursDx, refDx]);
    store.dispose();
    forceChannelOpsPath(null);
  });
});
