import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discardBnStats, trainingContext } from '../../../src-main/ml/batchNorm';
import { maclLosses, type MaclLossParts } from '../../../src-main/ml/maclLosses';
import { createMaclModel } from '../../../src-main/ml/maclModel';
import { makeMaclViews } from '../../../src-main/ml/pretrainer';
import { createRng } from '../../../src-main/ml/random';
import { positiveMaskTensor } from '../../../src-main/ml/supCon';
import { maxAbs, useCpu } from './helpers';

beforeAll(useCpu);

describe('every MACL loss reaches the shared encoder (no stop-gradient; docs/macl-method.md 6.1 items 1 and 5)', () => {
  const encoderParams = ['enc1.conv1.w', 'enc2.bn2.gamma', 'enc4.conv2.w', 'centre.conv2.w'];
  const cases: Array<{ part: keyof MaclLossParts; reaches: string[]; misses: string[] }> = [
    { part: 'global', reaches: [...encoderParams, 'dec2.conv2.w', 'auxIns.fc1.w', 'domIns.fc2.w'], misses: ['auxPix.conv1.w'] },
    { part: 'dense', reaches: [...encoderParams, 'dec1.up.w', 'dec2.conv2.w', 'auxPix.conv2.w'], misses: ['auxIns.fc1.w', 'domIns.fc1.w'] },
    { part: 'er', reaches: encoderParams, misses: ['dec1.up.w', 'auxPix.conv1.w', 'auxIns.fc1.w'] },
  ];

  it.each(cases)('$part', async ({ part, reaches, misses }) => {
    const model = createMaclModel({ width: 2, seed: 4 });
    const images = tf.randomUniform([3, 64, 64, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const views = makeMaclViews(images, createRng(2));
    const mask = positiveMaskTensor([0.2, 0.5, 0.8]);
    const ctx = trainingContext();
    const { value, grads } = tf.variableGrads(() => maclLosses(model.forward(views, ctx), mask)[part], model.params.trainableList());
    discardBnStats(ctx);
    for (const name of reaches) {
      const grad = grads[model.params.get(name).name];
      expect(grad, `${part} -> ${name}`).toBeDefined();
      expect(await maxAbs(grad!), `${part} -> ${name}`).toBeGreaterThan(0);
    }
    for (const name of misses) {
      const grad = grads[model.params.get(name).name];
      if (grad !== undefined) expect(await maxAbs(grad), `${part} must not reach ${name}`).toBe(0);
    }
    tf.dispose([images, mask, value, views.aux, views.auxVaried, views.dom, views.domVaried, ...Object.values(grads)]);
    model.dispose();
  });
});
