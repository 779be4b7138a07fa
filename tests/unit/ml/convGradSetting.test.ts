/**
 * MACL_CONV_GRAD forces the convolutions' gradient path for benchmarks that
 * compare the paths on one backend; an unknown value is refused with a
 * message and leaves each backend's own choice in place.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { activeConvGradPath, convGradPathFor, forceConvGradPath } from '../../../src-main/ml/conv2dFastGrad';
import { applyConvGradSetting } from '../../../src-main/trainer/convGradSetting';

afterEach(() => forceConvGradPath(null));

describe('MACL_CONV_GRAD', () => {
  it('leaves the backend its own path when unset or empty', () => {
    expect(applyConvGradSetting({})).toBeNull();
    expect(applyConvGradSetting({ MACL_CONV_GRAD: '' })).toBeNull();
    expect(activeConvGradPath()).toBe(convGradPathFor(tf.getBackend()));
  });

  it('forces a known path', () => {
    expect(applyConvGradSetting({ MACL_CONV_GRAD: 'stock' })).toBeNull();
    expect(activeConvGradPath()).toBe('stock');
    expect(applyConvGradSetting({ MACL_CONV_GRAD: 'forward' })).toBeNull();
    expect(activeConvGradPath()).toBe('forward');
  });

  it('refuses an unknown value with a message naming the choices', () => {
    expect(applyConvGradSetting({ MACL_CONV_GRAD: 'fastest' })).toMatch(/must be one of fast, forward, stock, kernel, got "fastest"/);
    expect(activeConvGradPath()).toBe(convGradPathFor(tf.getBackend()));
  });

  it('the forced path computes the same gradients as the stock one', async () => {
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const { conv2dSame } = await import('../../../src-main/ml/conv2dFastGrad');
    const gradients = (): tf.Tensor[] => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(conv2dSame(a as tf.Tensor4D, b as tf.Tensor4D))))([x, w]);
    forceConvGradPath('stock');
    const stock = gradients();
    forceConvGradPath('fast');
    const fast = gradients();
    for (let i = 0; i < 2; i++) {
      const diff = (await tf.max(tf.abs(tf.sub(stock[i] as tf.Tensor, fast[i] as tf.Tensor))).data())[0] as number;
      const scale = (await tf.max(tf.abs(stock[i] as tf.Tensor)).data())[0] as number;
      expect(diff / scale).toBeLessThan(1e-4);
    }
    tf.dispose([x, w, ...stock, ...fast]);
  });
});
