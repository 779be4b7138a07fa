/**
 * What init 'default' means for an interactive session: the newest finished
 * pre-trained model, never a running pre-training's intermediate checkpoint
 * or a fine-tuned model, else scratch (null).
 */
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../../src-main/shared/contract/modelRecord';
import { defaultInitOf } from '../../../src-main/session/modelList';

/** A registry record with what defaultInitOf reads; the rest as a pre-training saves it. */
function recordOf(id: string, kind: ModelRecord['kind'], steps: number, totalSteps: number): ModelRecord {
  return {
    format: 'macl-model-record',
    formatVersion: 1,
    id,
    version: 1,
    created: '2026-12-07T22:49:48.076Z',
    weightBytes: 0,
    name: id,
    kind,
    parentId: null,
    spec: { inChannels: 1, width: 16, classes: kind === 'pretrained' ? null : 2, size: 64 },
    steps,
    totalSteps,
    losses: {},
    backend: 'wasm',
    device: 'test',
    data: { archiveRoot: '/data/archive', labelsPath: null, series: [], seriesCount: 5 },
    optimizerState: false,
    settings: {},
  };
}

describe('defaultInitOf', () => {
  it('picks the newest finished pre-trained model, passing over a fine-tuned model and a running pre-training\'s checkpoint', () => {
    // The registry lists newest first.
    const records = [
      recordOf('tuned', 'finetuned', 40, 40),
      recordOf('running-750', 'pretrained', 750, 1000),
      recordOf('finished-1000', 'pretrained', 1000, 1000),
      recordOf('older-300', 'pretrained', 300, 300),
    ];
    expect(defaultInitOf(records)?.id).toBe('finished-1000');
  });

  it('is null (scratch) when no pre-training has finished', () => {
    expect(defaultInitOf([recordOf('tuned', 'finetuned', 40, 40), recordOf('running-250', 'pretrained', 250, 1000)])).toBeNull();
    expect(defaultInitOf([])).toBeNull();
  });
});
