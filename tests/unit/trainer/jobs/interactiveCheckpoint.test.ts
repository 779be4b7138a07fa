/**
 * The interactive session's checkpoint: what it records in the registry, and
 * the labels digest a session resumed from it reads back (only from the very
 * checkpoint it resumes, only when one was saved).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createUNet } from '../../../../src-main/ml/unet';
import { interactiveParamsSchema } from '../../../../src-main/shared/contract/trainer/interactiveSchemas';
import { resumedLabelsDigest, saveSessionCheckpoint, type CheckpointContext } from '../../../../src-main/trainer/jobs/interactiveCheckpoint';
import { openModelRegistry } from '../../../../src-main/workspace/modelRegistry';
import { useCpu } from '../../ml/helpers';
import { tempFolder } from './jobFixtures';

beforeAll(useCpu);

let temp: { dir: string; cleanup: () => void };
beforeEach(() => {
  temp = tempFolder('interactive-checkpoint');
});
afterEach(() => temp.cleanup());

const sessionSettings = { burstSteps: 3, size: 32, batch: 2, width: 2, lr: 2e-3, inferBatch: 1 };
const params = (resumeFrom: string | null) => interactiveParamsSchema.parse({ sessionId: 's1', workspaceDir: temp.dir, seriesId: 'series-1', init: 'none', resumeFrom, out: 'session-model', settings: sessionSettings });

describe('interactive checkpoint', () => {
  it('saves the network with its version, grid and labels digest, and a resumed session reads the digest back', async () => {
    const registry = await openModelRegistry(temp.dir);
    const context: CheckpointContext = { settings: params(null), registry, backend: { kind: 'cpu', device: 'test' }, parentId: null, dimensions: [32, 32, 8] };
    const unet = createUNet({ classes: 3, width: 2, seed: 1 });
    const moment = tf.zeros([2]);
    try {
      const record = await saveSessionCheckpoint(context, { unet, optimizer: new Map([['head.bias/m', moment]]), steps: 12 }, 4, 'digest-a');
      expect(record).toMatchObject({ name: 'session-model', kind: 'finetuned', steps: 12, optimizerState: true, spec: { classes: 3, width: 2, size: 32 } });
      expect(record.settings).toMatchObject({ interactive: true, grid: '32x32x8', modelVersion: 4, labelsDigest: 'digest-a' });
      expect(record.data.series).toEqual([{ seriesId: 'series-1', path: null, slices: 8 }]);

      const loaded = await registry.load(record.id);
      expect(resumedLabelsDigest(params(record.id), loaded)).toBe('digest-a');
      // Another model loaded (the checkpoint could not be read), or a fresh start: nothing resumed.
      expect(resumedLabelsDigest(params('another-id'), loaded)).toBeNull();
      expect(resumedLabelsDigest(params(null), loaded)).toBeNull();
      expect(resumedLabelsDigest(params(record.id), null)).toBeNull();

      // Saved before any labels were folded in: no digest, so the resumed session trains on the labels it gets.
      const early = await saveSessionCheckpoint(context, { unet, optimizer: new Map(), steps: 1 }, 1, null);
      expect(early.settings).not.toHaveProperty('labelsDigest');
      expect(resumedLabelsDigest(params(early.id), await registry.load(early.id))).toBeNull();
    } finally {
      moment.dispose();
      unet.dispose();
    }
  });
});
