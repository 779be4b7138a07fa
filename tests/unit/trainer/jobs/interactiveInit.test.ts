/**
 * What a session says about its init model: the pre-training behind it (archive, steps, date),
 * for a pre-trained model and for a fine-tuned model that started from one.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMaclModel } from '../../../../src-main/ml/maclModel';
import { exportParams, maclSpecJson, unetSpecJson } from '../../../../src-main/ml/serialize';
import { createUNet } from '../../../../src-main/ml/unet';
import { loadInit } from '../../../../src-main/trainer/jobs/interactiveModel';
import type { ModelMeta } from '../../../../src-main/shared/contract/modelRecord';
import { openModelRegistry } from '../../../../src-main/workspace/modelRegistry';
import { useCpu } from '../../ml/helpers';
import { tempFolder } from './jobFixtures';

beforeAll(useCpu);

let temp: { dir: string; cleanup: () => void };
beforeEach(() => {
  temp = tempFolder('init-info');
});
afterEach(() => temp.cleanup());

const common = { losses: {}, backend: 'cpu', device: 'test', optimizerState: false, settings: {} } as const;

describe('loadInit', () => {
  it('reports the archive, steps and date of a pre-trained init, and of the pre-training behind a fine-tuned one', async () => {
    const registry = await openModelRegistry(temp.dir, { now: () => new Date('2026-12-06T10:00:00Z') });
    const macl = createMaclModel({ width: 2, seed: 1 });
    const pre: ModelMeta = { ...common, name: 'archive-macl', kind: 'pretrained', parentId: null, spec: { inChannels: 1, width: 2, classes: null, size: 64 }, steps: 300, totalSteps: 300, data: { archiveRoot: '/data/archive', labelsPath: null, series: [], seriesCount: 4 } };
    const preRecord = await registry.save(await exportParams(macl.params, maclSpecJson(macl)), pre);
    macl.dispose();
    const unet = createUNet({ classes: 2, width: 2, seed: 1 });
    const tuned: ModelMeta = { ...common, name: 'liver', kind: 'finetuned', parentId: preRecord.id, spec: { inChannels: 1, width: 2, classes: 2, size: 64 }, steps: 40, totalSteps: 40, data: { archiveRoot: null, labelsPath: null, series: [], seriesCount: 1 } };
    const tunedRecord = await registry.save(await exportParams(unet.params, unetSpecJson(unet)), tuned);
    unet.dispose();

    const expected = { name: 'archive-macl', version: 1, archive: '/data/archive', seriesCount: 4, steps: 300, totalSteps: 300, created: '2026-12-06T10:00:00.000Z' };
    const fromPre = await loadInit(registry, preRecord.id);
    expect(fromPre.info.pretraining).toEqual(expected);
    expect(fromPre.info.message).toContain('pre-trained 300 of 300 steps on 4 series of /data/archive, 2026-12-06');
    const fromTuned = await loadInit(registry, tunedRecord.id);
    expect(fromTuned.info.pretraining).toEqual(expected);
    expect(fromTuned.info.message).toMatch(/started from "archive-macl" version 1/);

    // Without its parent the lineage is unknown: no pre-training is claimed.
    await registry.remove(preRecord.id);
    expect((await loadInit(registry, tunedRecord.id)).info.pretraining).toBeUndefined();
    expect((await loadInit(registry, 'none')).info.pretraining).toBeUndefined();
  });
});
