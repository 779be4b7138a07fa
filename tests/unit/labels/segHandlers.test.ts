/**
 * labels.exportSeg / labels.importSeg over a real workspace: the series
 * index and the label store. Export writes the final labels (strokes over
 * accepted, background strokes and erasures honoured), MANUAL for
 * stroke-only segments and SEMIAUTOMATIC with the model version where the
 * accepted layer contributes; import gives back the same voxels as runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportService, type ImportService } from '../../../src-main/importing/importService';
import { createSegHandlers } from '../../../src-main/labels/segHandlers';
import { readSeg } from '../../../src-main/dicom/seg/segReader';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import { finalLabels } from '../../../src-main/labels/finalLabels';
import type { Segment } from '../../../src-main/shared/contract/labels';
import { seriesIdSchema } from '../../../src-main/shared/contract/series';
import { applyRuns, decodeRuns, runsToBytes, runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { tempDir } from '../dicom/helpers/testData';
import { dciodvfy } from '../dicom/seg/helpers/segChecks';
import { paintBox, segmentOf, writeAxial } from '../dicom/seg/helpers/segCases';

const temp = tempDir('seghandlers');
let series: ImportService;
let labels: LabelService;
let handlers: ReturnType<typeof createSegHandlers>;
let seriesId: ReturnType<typeof seriesIdSchema.parse>;
const dims = [7, 5, 6] as const;
const voxels = dims[0] * dims[1] * dims[2];
const strokes = new Uint8Array(voxels);
const accepted = new Uint8Array(voxels);
const liver: Segment = segmentOf(1, 'Liver', '#aa0000');
const spleen: Segment = { ...segmentOf(2, 'Spleen', '#00aa00'), type: { scheme: 'SCT', value: '78961009', meaning: 'Spleen' } };

beforeAll(async () => {
  await writeAxial(path.join(temp.dir, 'series'));
  series = await createImportService({ workspaceDir: path.join(temp.dir, 'ws') });
  const report = await series.importPaths([path.join(temp.dir, 'series')], { thumbnails: false });
  seriesId = seriesIdSchema.parse(report.series[0]?.seriesId);
  labels = createLabelService({ workspaceDir: path.join(temp.dir, 'ws'), series });
  // Liver: accepted (the model's) plus strokes; a background stroke and an erasure cut into it.
  paintBox(accepted, dims, [0, 4, 0, 4, 1, 4], 1);
  paintBox(strokes, dims, [4, 5, 0, 2, 1, 3], 1);
  paintBox(strokes, dims, [0, 1, 0, 1, 1, 2], 255);
  paintBox(accepted, dims, [3, 4, 3, 4, 3, 4], 255);
  // Spleen: strokes only.
  paintBox(strokes, dims, [5, 7, 3, 5, 4, 6], 2);
  const state = await labels.load(seriesId);
  await labels.apply(seriesId, {
    baseRevision: state.revision,
    segments: [liver, spleen],
    changes: [
      { layer: 'strokes', runs: runsToBytes(runsFromLayer(strokes)) },
      { layer: 'accepted', runs: runsToBytes(runsFromLayer(accepted)) },
    ],
  });
  handlers = createSegHandlers({ series, labels, softwareVersion: '0.1.0-test', modelVersionOf: () => Promise.resolve('model-42') });
});
afterAll(async () => {
  await labels.close();
  temp.cleanup();
});

describe('labels.exportSeg and labels.importSeg', () => {
  it('exports the final labels with MANUAL and SEMIAUTOMATIC segments, and imports them back', async () => {
    const folder = path.join(temp.dir, 'export');
    const result = await handlers.calls['labels.exportSeg']({ seriesId, folder, segments: [1, 2], description: 'Abdomen', seriesNumber: 42, creator: 'Doe^Jane' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ segments: 2, path: path.join(folder, 'SEG_42_Abdomen.dcm') });
    expect(dciodvfy(result.value.path).errors).toEqual([]);
    const seg = await readSeg(result.value.path);
    expect(seg.segments.map((s) => [s.name, s.algorithmType])).toEqual([
      ['Liver', 'SEMIAUTOMATIC'],
      ['Spleen', 'MANUAL'],
    ]);
    expect(readFileSync(result.value.path).includes('model-42')).toBe(true); // AlgorithmVersion

    const imported = await handlers.calls['labels.importSeg']({ seriesId, path: result.value.path });
    if (!imported.ok) throw new Error(imported.error.message);
    const back = new Uint8Array(voxels);
    applyRuns(back, decodeRuns(imported.value.runs, voxels));
    expect([...back]).toEqual([...finalLabels(strokes, accepted)]);
    // Matched to the series' own segments by name and type: no new segment.
    expect(imported.value.segments.map((s) => s.label)).toEqual([1, 2]);
    expect(imported.value.framesByReference).toBe(seg.frames.length);

    // A second export never overwrites the first.
    const again = await handlers.calls['labels.exportSeg']({ seriesId, folder, segments: [2], includeStrokes: true, description: 'Abdomen', seriesNumber: 42, creator: '' });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.path).toBe(path.join(folder, 'SEG_42_Abdomen-2.dcm'));
    expect(existsSync(result.value.path)).toBe(true);
    expect((await readSeg(again.value.path)).segments.map((s) => s.name)).toEqual(['Spleen', 'Spleen (strokes)']);
  });

  it('writes the file the user named, and refuses to replace one', async () => {
    const folder = path.join(temp.dir, 'named');
    const named = await handlers.calls['labels.exportSeg']({ seriesId, folder, fileName: 'liver-final', segments: [1], description: 'Abdomen', seriesNumber: 42, creator: '' });
    if (!named.ok) throw new Error(named.error.message);
    expect(named.value.path).toBe(path.join(folder, 'liver-final.dcm'));
    expect((await readSeg(named.value.path)).segments.map((s) => s.name)).toEqual(['Liver']);
    const again = await handlers.calls['labels.exportSeg']({ seriesId, folder, fileName: 'liver-final.dcm', segments: [1], description: 'Abdomen', seriesNumber: 42, creator: '' });
    expect(again).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/liver-final\.dcm already exists; choose another file name/) } });
    const nested = await handlers.calls['labels.exportSeg']({ seriesId, folder, fileName: '../up', segments: [1], description: 'Abdomen', seriesNumber: 42, creator: '' });
    expect(nested).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/must not contain/) } });
  });

  it('answers bad requests with a code and a message', async () => {
    const unknown = await handlers.calls['labels.exportSeg']({ seriesId, folder: temp.dir, segments: [9], description: '', seriesNumber: 1, creator: '' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/has no segment with label 9/) } });
    const notSeg = await handlers.calls['labels.importSeg']({ seriesId, path: path.join(temp.dir, 'series', 'ax0.dcm') });
    expect(notSeg).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/is not a DICOM Segmentation/) } });
    const missing = await handlers.calls['labels.importSeg']({ seriesId, path: path.join(temp.dir, 'nothing.dcm') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
