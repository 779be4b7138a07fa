/**
 * Series whose files moved: series.checkFiles says how many are missing,
 * series.relocate refuses folders that do not hold every file (changing
 * nothing) and, given the right folder, points the index at the files (found
 * by SOP Instance UID, whatever they are now called) under the same series
 * id, so the viewer and the labels work again; also for indexes written
 * before UIDs were kept, and for NIfTI series.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportService, type ImportService } from '../../../src-main/importing/importService';
import { createSeriesHandlers, seriesContract } from '../../../src-main/importing/seriesHandlers';
import { createRpcClient } from '../../../src-main/shared/rpc/client';
import { createMemoryTransportPair } from '../../../src-main/shared/rpc/memoryTransport';
import { serveContract } from '../../../src-main/shared/rpc/server';
import { seriesIdSchema } from '../../../src-main/shared/contract/series';
import { ctSlice, writeDcmjs } from '../dicom/helpers/dcmjsWriter';
import { writeNifti } from '../dicom/helpers/niftiWriter';
import { tempDir } from '../dicom/helpers/testData';

const temp = tempDir('relocate');
afterAll(() => temp.cleanup());

const seriesUid = '1.2.826.0.1.3680043.10.1234.77.30';

async function writeSeries(dir: string, uid: string, count: number, name: (i: number) => string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writeDcmjs(path.join(dir, name(i)), ctSlice({ series: uid, instance: i + 1, position: [-10, -20, 30 + i * 2.5], fill: 10 * (i + 1) }));
}

function connect(service: ImportService) {
  const [serverSide, clientSide] = createMemoryTransportPair();
  serveContract(seriesContract, createSeriesHandlers(service), serverSide);
  return createRpcClient(seriesContract, clientSide);
}

describe('series whose files moved', () => {
  const original = path.join(temp.dir, 'scans', 'ct');
  const moved = path.join(temp.dir, 'elsewhere', 'deeper', 'ct-moved');
  const wrong = path.join(temp.dir, 'wrong');
  const workspace = path.join(temp.dir, 'ws');
  let service: ImportService;
  let seriesId = seriesIdSchema.parse('unset');
  let before: Float32Array;

  beforeAll(async () => {
    await writeSeries(original, seriesUid, 4, (i) => `slice${i}.dcm`);
    // The wrong folder: another series, plus copies of two of ours.
    await writeSeries(wrong, `${seriesUid}.9`, 3, (i) => `other${i}.dcm`);
    writeFileSync(path.join(wrong, 'copy0.dcm'), readFileSync(path.join(original, 'slice0.dcm')));
    writeFileSync(path.join(wrong, 'copy3.dcm'), readFileSync(path.join(original, 'slice3.dcm')));
    service = await createImportService({ workspaceDir: workspace });
    const report = await service.importPaths([original], { thumbnails: false });
    seriesId = report.series[0]?.seriesId ?? seriesId;
    before = (await service.loadVolume(seriesId)).voxels;
  });

  it('checkFiles counts the missing files; relocate refuses a wrong folder, then finds the files by UID', async () => {
    const client = connect(service);
    expect(await client.call('series.checkFiles', { seriesId })).toEqual({ ok: true, value: { seriesId, fileCount: 4, missingCount: 0, missingExamples: [] } });

    // Move the folder and rename every file: only the UIDs can find them.
    mkdirSync(path.dirname(moved), { recursive: true });
    renameSync(original, moved);
    for (let i = 0; i < 4; i++) renameSync(path.join(moved, `slice${i}.dcm`), path.join(moved, `IM${String(7 - i).padStart(4, '0')}`));
    const check = await client.call('series.checkFiles', { seriesId });
    expect(check).toEqual({ ok: true, value: { seriesId, fileCount: 4, missingCount: 4, missingExamples: [0, 1, 2, 3].map((i) => path.join(original, `slice${i}.dcm`)) } });
    await expect(service.loadVolume(seriesId)).rejects.toThrow(/slice0\.dcm/);

    const wrongFolder = await client.call('series.relocate', { seriesId, folder: wrong });
    expect(wrongFolder).toMatchObject({ ok: false, error: { code: 'not-found' } });
    if (!wrongFolder.ok) expect(wrongFolder.error.message).toBe(`Only 2 of the 4 files of series "synthetic" (series 3) are under ${wrong} (5 DICOM files read there); 2 are missing, e.g. slice1.dcm, slice2.dcm. Nothing was changed: name the folder that holds all of them.`);
    const empty = path.join(temp.dir, 'empty');
    mkdirSync(empty);
    const none = await client.call('series.relocate', { seriesId, folder: empty });
    if (none.ok) throw new Error('an empty folder was accepted');
    expect(none.error.message).toMatch(/^None of the 4 files of series "synthetic" \(series 3\) is under .*empty \(0 DICOM files read there/);
    const absent = await client.call('series.relocate', { seriesId, folder: path.join(temp.dir, 'nowhere') });
    expect(absent).toMatchObject({ ok: false, error: { code: 'bad-request', message: `The folder ${path.join(temp.dir, 'nowhere')} does not exist.` } });
    expect(service.resolveSeriesFile(seriesId, 0)?.path).toBe(path.join(original, 'slice0.dcm'));

    const relocated = await client.call('series.relocate', { seriesId, folder: path.join(temp.dir, 'elsewhere') });
    expect(relocated).toMatchObject({ ok: true, value: { seriesId, sliceCount: 4 } });
    expect(await client.call('series.checkFiles', { seriesId })).toMatchObject({ ok: true, value: { missingCount: 0 } });
    expect([0, 1, 2, 3].map((k) => path.basename(service.resolveSeriesFile(seriesId, k)?.path ?? ''))).toEqual(['IM0007', 'IM0006', 'IM0005', 'IM0004']);
    const images = await client.call('series.images', { seriesId });
    expect(images.ok && images.value.imageUrls).toHaveLength(4);
    const after = (await service.loadVolume(seriesId)).voxels;
    expect(Array.from(after)).toEqual(Array.from(before));

    // The index on disk says so too (a restart keeps the new paths, same id).
    const reopened = await createImportService({ workspaceDir: workspace });
    expect(reopened.listSeries().map((s) => s.seriesId)).toEqual([seriesId]);
    expect(reopened.resolveSeriesFile(seriesId, 3)?.path).toBe(path.join(moved, 'IM0004'));
  });

  it('relocates an index written before UIDs were kept, by series UID, file name and position', async () => {
    const legacy = path.join(temp.dir, 'ws-legacy');
    const dir = path.join(temp.dir, 'legacy', 'a');
    await writeSeries(dir, `${seriesUid}.5`, 3, (i) => `s${i}.dcm`);
    const first = await createImportService({ workspaceDir: legacy });
    const id = (await first.importPaths([dir], { thumbnails: false })).series[0]?.seriesId ?? '';
    const indexFile = first.paths.seriesIndex;
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { series: { slices: Record<string, unknown>[] }[] };
    for (const slice of index.series[0]?.slices ?? []) {
      expect(typeof slice.sopInstanceUid).toBe('string');
      delete slice.sopInstanceUid;
      delete slice.fileFrames;
    }
    writeFileSync(indexFile, JSON.stringify(index));
    const target = path.join(temp.dir, 'legacy-moved');
    renameSync(path.join(temp.dir, 'legacy'), target);
    const service = await createImportService({ workspaceDir: legacy });
    expect((await service.checkFiles(id)).missingCount).toBe(3);
    await service.relocate(id, target);
    expect(service.resolveSeriesFile(id, 2)?.path).toBe(path.join(target, 'a', 's2.dcm'));
    expect((await service.checkFiles(id)).missingCount).toBe(0);
    // The relocated entry now carries the UIDs.
    const saved = JSON.parse(readFileSync(indexFile, 'utf8')) as { series: { slices: { sopInstanceUid?: string; fileFrames?: number }[] }[] };
    expect(saved.series[0]?.slices.map((slice) => [slice.sopInstanceUid, slice.fileFrames])).toEqual([1, 2, 3].map((n) => [`${seriesUid}.5.${n}`, 1]));
  });

  it('relocates a NIfTI series to a file of the same name and grid, refusing one with another grid', async () => {
    const dir = path.join(temp.dir, 'nifti');
    mkdirSync(dir, { recursive: true });
    const spec = { dims: [4, 3, 2] as const, datatype: 4 as const, pixdim: [1, 1, 2] as const, sform: [[1, 0, 0, 5], [0, 1, 0, 6], [0, 0, 2, 7]] as [number[], number[], number[]], values: Array.from({ length: 24 }, (_, n) => n) };
    writeNifti(path.join(dir, 'head.nii'), spec);
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-nifti') });
    const id = (await service.importPaths([dir], { thumbnails: false })).series[0]?.seriesId ?? '';
    const decoy = path.join(temp.dir, 'nifti-decoy');
    mkdirSync(decoy);
    writeNifti(path.join(decoy, 'head.nii'), { ...spec, sform: [[1, 0, 0, 5], [0, 1, 0, 6], [0, 0, 2, 9]] });
    renameSync(dir, path.join(temp.dir, 'nifti-moved'));
    expect(await service.checkFiles(id)).toMatchObject({ fileCount: 1, missingCount: 1 });
    await expect(service.relocate(id, decoy)).rejects.toThrow(`head.nii (the NIfTI of series head.nii) is not under ${decoy}: 1 file of that name is there, with another grid or unreadable. Nothing was changed.`);
    await service.relocate(id, path.join(temp.dir, 'nifti-moved'));
    expect((await service.loadVolume(id)).voxels[23]).toBe(23);
  });
});
