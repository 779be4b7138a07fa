/**
 * The pre-training job's result line on the user's own labels: with a labelled series in the
 * workspace, the job ends with "On your 1 labelled scan ..." (scratch vs the new model on held-out
 * labelled slices); without one it says nothing; stopped during the check, the model stays saved.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLabelFile } from '../../../../src-main/labels/labelFileIo';
import { labelFilePath } from '../../../../src-main/labels/labelPaths';
import { runsFromLayer } from '../../../../src-main/shared/labels/labelRuns';
import type { PretrainEvent, PretrainParams } from '../../../../src-main/shared/contract/trainer/jobSchemas';
import { pretrainBenefitNote } from '../../../../src-main/trainer/jobs/pretrainBenefitNote';
import { runPretrainJob } from '../../../../src-main/trainer/jobs/pretrainJob';
import { createMaclModel } from '../../../../src-main/ml/maclModel';
import { useCpu } from '../../ml/helpers';
import { phantomWorkspace, strokesLayer, type PhantomWorkspace } from './interactiveFixtures';
import { tempFolder, writePhantomArchive } from './jobFixtures';

const temp = tempFolder('pretrain-benefit');
const archive = path.join(temp.dir, 'archive');
let ws: PhantomWorkspace;

beforeAll(async () => {
  await useCpu();
  writePhantomArchive(archive, 2, 8);
  ws = await phantomWorkspace(temp.dir, 32, 8);
  const { size, depth } = ws;
  await writeLabelFile(labelFilePath(ws.workspaceDir, ws.seriesId), {
    seriesId: ws.seriesId,
    seriesInstanceUid: '',
    dimensions: [size, size, depth],
    revision: 1,
    savedAt: '2026-12-06T10:00:00.000Z',
    segments: [],
    strokes: runsFromLayer(strokesLayer(ws.phantom, [1, 3, 5, 7])),
    accepted: runsFromLayer(new Uint8Array(size * size * depth)),
  });
});
afterAll(() => temp.cleanup());

describe('pre-training result on the labelled scans', () => {
  it('ends the job with the held-out Dice from the new model and from scratch', async () => {
    const events: PretrainEvent[] = [];
    const params: PretrainParams = { workspaceDir: ws.workspaceDir, archive, out: 'pre', steps: 2, size: 64, batch: 2, width: 2, checkpointEvery: 0, benefitSteps: 4 };
    await runPretrainJob(params, { emit: (e) => events.push(e), backend: { kind: 'cpu', device: 'test' } });
    const notes = events.flatMap((e) => (e.type === 'note' ? [e.message] : []));
    expect(notes.at(-1)).toMatch(/^On your 1 labelled scan \(2 held-out labelled slices\): Dice \d\.\d\d from this model vs \d\.\d\d from scratch after 4 fine-tuning steps\.$/);
    expect(events.at(-1)?.type).toBe('done');
    expect(events.some((e) => e.type === 'loading' && /measuring the new model on 1 labelled scan/.test(e.message))).toBe(true);
  }, 400_000);

  it('says nothing in a workspace without labels, and stops when cancelled', async () => {
    const model = createMaclModel({ width: 2, seed: 1 });
    const empty = path.join(temp.dir, 'empty-ws');
    expect(await pretrainBenefitNote({ workspaceDir: empty, model: model.params, size: 32, width: 2, steps: 2, scans: 2 })).toBeNull();
    const controller = new AbortController();
    controller.abort();
    const stopped = await pretrainBenefitNote({ workspaceDir: ws.workspaceDir, model: model.params, size: 32, width: 2, steps: 2, scans: 2, signal: controller.signal });
    model.dispose();
    expect(stopped).toMatch(/was stopped; the model is saved/);
  }, 60_000);
});
