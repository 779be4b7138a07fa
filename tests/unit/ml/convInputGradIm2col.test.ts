import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dInputGradViaForward } from '../../../src-main/ml/conv2dFastGrad';
import { conv2dInputGradIm2col, im2colInputGradPays } from '../../../src-main/ml/convInputGradIm2col';
import { relativeError, useCpu } from './helpers';

beforeAll(useCpu);

describe('the input gradient of a same conv as a product over an im2col of dy', () => {
  it.each([
    { x: [2, 4, 4, 6], k: 3, cout: 5 },
    { x: [1, 5, 3, 4], k: 3, cout: 7 },
    { x: [2, 6, 6, 3], k: 5, cout: 2 },
  ])('equals the turned-filter conv and tfjs own gradient (x $x, k $k, cout $cout)', async ({ x: shape, k, cout }) => {
    const [b, h, w, cin] = shape as [number, number, number, number];
    const filter = tf.randomNormal([k, k, cin, cout], 0, 1, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([b, h, w, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
    const im2col = conv2dInputGradIm2col(dy, filter);
    const turned = conv2dInputGradViaForward(dy, filter);
    const stock = tf.conv2dTranspose(dy, filter, [b, h, w, cin], 1, 'same');
    expect(im2col.shape).toEqual([b, h, w, cin]);
    expect(await relativeError(im2col, turned)).toBeLessThan(1e-5);
    expect(await relativeError(im2col, stock)).toBeLessThan(1e-5);
    tf.dispose([filter, dy, im2col, turned, stock]);
  });

  it('is chosen for 3x3 layers with at most twice as many pixels as input channels', () => {
    expect(im2colInputGradPays([4, 8, 8, 128], [3, 3, 128, 128])).toBe(true); // 256 pixels, 128 channels
    expect(im2colInputGradPays([8, 2, 2, 128], [3, 3, 128, 128])).toBe(true);
    expect(im2colInputGradPays([8, 8, 8, 128], [3, 3, 128, 128])).toBe(false); // 512 pixels
    expect(im2colInputGradPays([4, 16, 16, 64], [3, 3, 64, 64])).toBe(false);
    expect(im2colInputGradPays([1, 2, 2, 64], [1, 1, 64, 4])).toBe(false); // 1x1: nothing to turn
  });
});
