/**
 * The whole PACS round trip through the contract handlers, against a real
 * Orthanc: save a connection, retrieve the brain MR series into the
 * workspace, paint labels, export a DICOM-SEG, send it to the server the
 * series came from (STOW-RS), find it there (QIDO-RS), fetch it back
 * (WADO-RS), check it with dciodvfy, and read it onto the series: the same
 * voxels come back.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportService, type ImportService } from '../../../src-main/importing/importService';
import { createSegHandlers } from '../../../src-main/labels/segHandlers';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import { createPacsHandlers } from '../../../src-main/pacs/pacsHandlers';
import { createPacsService } from '../../../src-main/pacs/pacsService';
import { seriesStoreDir } from '../../../src-main/pacs/pacsStoreFolder';
import { workspaceSecretFile } from '../../../src-main/pacs/secretStore';
import type { PacsSearchEvent, RetrieveEvent } from '../../../src-main/shared/contract/pacs';
import { seriesIdSchema } from '../../../src-main/shared/contract/series';
import { applyRuns, decodeRuns, runsToBytes, runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { createCancelSource } from '../../../src-main/shared/rpc/cancelSignal';
import { brainFiles, tempDir } from '../dicom/helpers/testData';
import { dciodvfy } from '../dicom/seg/helpers/segChecks';
import { paintBox, segmentOf } from '../dicom/seg/helpers/segCases';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

/** Runs a stream handler to its end, collecting its events. */
async function collect<E>(run: (emit: (event: E) => void, signal: ReturnType<typeof createCancelSource>['signal']) => unknown): Promise<E[]> {
  const events: E[] = [];
  await run((event) => events.push(event), createCancelSource().signal);
  return events;
}

describe.skipIf(missing !== null)('DICOM-SEG round trip through Orthanc', () => {
  const temp = tempDir('pacs-seg');
  const workspaceDir = path.join(temp.dir, 'ws');
  let orthanc: RunningOrthanc;
  let series: ImportService;
  let labels: LabelService;
  let handlers: ReturnType<typeof createPacsHandlers>;
  const brainStudy = '0.0.0.0.2.8811.20010413115754.12432';
  const brainSeries = '0.0.0.0.3.8811.2.20010413115754.12432';

  beforeAll(async () => {
    orthanc = await startOrthanc();
    for (const file of brainFiles) await orthanc.upload(file);
    series = await createImportService({ workspaceDir });
    labels = createLabelService({ workspaceDir, series });
    handlers = createPacsHandlers(createPacsService({ workspaceDir, series, secrets: workspaceSecretFile(workspaceDir) }));
  }, 60_000);
  afterAll(async () => {
    await labels.close();
    await orthanc.close();
    temp.cleanup();
  });

  it('retrieves, labels, exports, sends, finds and re-imports the SEG', async () => {
    const saved = await handlers.calls['pacs.saveConnection']({ name: 'Orthanc', baseUrl: `${orthanc.dicomWebUrl}/`, authKind: 'none' });
    if (!saved.ok) throw new Error(saved.error.message);
    const connectionId = saved.value.id;
    expect(saved.value).toMatchObject({ name: 'Orthanc', baseUrl: orthanc.dicomWebUrl, hasSecret: false });
    const tested = await handlers.calls['pacs.testConnection']({ id: connectionId });
    expect(tested).toMatchObject({ ok: true, value: { message: expect.stringContaining('answers DICOMweb searches') } });

    const retrieved = await collect<RetrieveEvent>((emit, signal) => handlers.streams['pacs.retrieve']({ connectionId, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries }, emit, signal));
    const done = retrieved.at(-1);
    if (done?.kind !== 'done') throw new Error('no done event');
    expect(done).toMatchObject({ fetched: 20, alreadyPresent: 0 });
    const summary = done.series[0];
    if (summary === undefined) throw new Error('nothing imported');
    const seriesId = seriesIdSchema.parse(summary.seriesId);
    expect(series.listSeries().map((entry) => entry.seriesId)).toEqual([seriesId]);

    // Listed again, the series says it is already in the workspace.
    const listed = await collect<PacsSearchEvent>((emit, signal) => handlers.streams['pacs.search']({ connectionId, studyInstanceUid: brainStudy }, emit, signal));
    expect(listed).toEqual([{ kind: 'series', series: [expect.objectContaining({ seriesInstanceUid: brainSeries, inWorkspace: true })] }]);

    const dims = [summary.columns, summary.rows, summary.sliceCount] as const;
    const strokes = new Uint8Array(dims[0] * dims[1] * dims[2]);
    paintBox(strokes, dims, [100, 140, 90, 150, 6, 11], 1);
    const state = await labels.load(seriesId);
    await labels.apply(seriesId, { baseRevision: state.revision, segments: [segmentOf(1, 'Lesion', '#aa0000')], changes: [{ layer: 'strokes', runs: runsToBytes(runsFromLayer(strokes)) }] });
    const seg = createSegHandlers({ series, labels, softwareVersion: '0.1.0-test', modelVersionOf: () => Promise.resolve(null) });
    const exported = await seg.calls['labels.exportSeg']({ seriesId, folder: path.join(temp.dir, 'export'), segments: [1], description: 'Lesion', seriesNumber: 77, creator: 'Doe^Jane' });
    if (!exported.ok) throw new Error(exported.error.message);

    // No server named: it goes to the one the series came from.
    const sent = await handlers.calls['pacs.sendSeg']({ connectionId: null, path: exported.value.path, seriesId });
    if (!sent.ok) throw new Error(sent.error.message);
    expect(sent.value.failures).toEqual([]);
    expect(sent.value.accepted).toHaveLength(1);

    const found = await collect<PacsSearchEvent>((emit, signal) => handlers.streams['pacs.search']({ connectionId, studyInstanceUid: brainStudy }, emit, signal));
    const segSeries = found[0]?.kind === 'series' ? found[0].series.find((row) => row.modality === 'SEG') : undefined;
    expect(segSeries).toMatchObject({ description: 'Lesion', seriesNumber: 77, instanceCount: 1 });
    if (segSeries === undefined) throw new Error('SEG not found by QIDO-RS');
    const sopInstances = (await orthanc.rest(`/series?expand`)) as { MainDicomTags: { SeriesInstanceUID: string; Modality: string } }[];
    expect(sopInstances.filter((entry) => entry.MainDicomTags.Modality === 'SEG')).toHaveLength(1);

    const back = await collect<RetrieveEvent>((emit, signal) => handlers.streams['pacs.retrieve']({ connectionId, studyInstanceUid: brainStudy, seriesInstanceUid: segSeries.seriesInstanceUid }, emit, signal));
    expect(back.at(-1)).toMatchObject({ kind: 'done', fetched: 1 });
    const segFolder = seriesStoreDir(workspaceDir, brainStudy, segSeries.seriesInstanceUid);
    const segFile = path.join(segFolder, readdirSync(segFolder)[0] ?? '');
    // The brain series' own UIDs start with the illegal root 0.0.0.0; the SEG must repeat them to reference it.
    const errors = dciodvfy(segFile).errors.filter((line) => !/Illegal root for UID - "0\.0\.0\.0\./.test(line));
    expect(errors).toEqual([]);
    const imported = await seg.calls['labels.importSeg']({ seriesId, path: segFile });
    if (!imported.ok) throw new Error(imported.error.message);
    const voxels = new Uint8Array(strokes.length);
    applyRuns(voxels, decodeRuns(imported.value.runs, strokes.length));
    expect(voxels).toEqual(strokes);
  }, 120_000);
});
