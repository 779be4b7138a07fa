/**
 * A folder mixing a good series with corrupt, truncated and non-DICOM files
 * (and a symbolic-link loop): the good series imports, the bad files are
 * listed with reasons naming them, the non-DICOM ones are only counted.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePngGray8 } from '../../../src-main/dicom/pixels/pngEncoder';
import { createImportService } from '../../../src-main/importing/importService';
import { brainFiles, copyAs, daikonData, pydicomFile, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('mixed-folder');
const input = path.join(temp.dir, 'incoming');

beforeAll(() => {
  const good = brainFiles.filter((file) => !file.endsWith('brain_005.dcm'));
  copyAs(good, path.join(input, 'series'), (name) => name);
  const brain5 = readFileSync(brainFiles[4] ?? '');
  writeFileSync(path.join(input, 'series', 'brain_005_truncated.dcm'), brain5.subarray(0, Math.floor(brain5.length / 2)));
  const rle = readFileSync(path.join(daikonData, 'rle.dcm'));
  writeFileSync(path.join(input, 'rle_truncated.dcm'), rle.subarray(0, rle.length - 5000));
  const header = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0x7f])]); // DICM, then an element running past the end
  writeFileSync(path.join(input, 'broken_header.dcm'), header);
  writeFileSync(path.join(input, 'notes.txt'), 'Patient called, will bring the CD on Monday.\n');
  writeFileSync(path.join(input, 'photo.png'), encodePngGray8(2, 2, Uint8Array.of(0, 64, 128, 255)));
  writeFileSync(path.join(input, 'empty'), '');
  copyAs([pydicomFile('rtstruct.dcm'), pydicomFile('test-SR.dcm'), pydicomFile('liver_1frame.dcm')], path.join(input, 'objects'), (name) => name);
  mkdirSync(path.join(input, 'nested'), { recursive: true });
  symlinkSync(input, path.join(input, 'nested', 'loop')); // points back up: must not recurse forever
});
afterAll(() => temp.cleanup());

describe('importing a messy folder', () => {
  it('imports the good series, lists bad files with reasons, counts the rest', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws') });
    const progress: { filesSeen: number; filesRead: number }[] = [];
    const report = await service.importPaths([input], { onProgress: (p) => progress.push(p) });

    const images = report.series.filter((s) => s.kind === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ sliceCount: 19, modality: 'MR' });
    // brain_005 is the one that failed: a gap shows exactly where.
    expect(images[0]?.problems).toEqual([expect.objectContaining({ code: 'missing-slices' })]);
    expect(images[0]?.problems[0]?.positionsMm).toHaveLength(1);

    expect(report.series.filter((s) => s.kind !== 'image').map((s) => s.kind).sort()).toEqual(['rtstruct', 'segmentation', 'structured-report']);
    expect(report.series.find((s) => s.kind === 'rtstruct')).toMatchObject({ sliceCount: 0, geometry: null, thumbnail: null });

    const refused = Object.fromEntries(report.refused.map((file) => [path.basename(file.path), file.reason]));
    expect(Object.keys(refused).sort()).toEqual(['brain_005_truncated.dcm', 'broken_header.dcm', 'rle_truncated.dcm']);
    expect(refused['brain_005_truncated.dcm']).toMatch(/^brain_005_truncated\.dcm is truncated: its pixel data needs 131072 bytes/);
    expect(refused['rle_truncated.dcm']).toMatch(/^rle_truncated\.dcm: its compressed pixel data is cut off/);
    expect(refused['broken_header.dcm']).toMatch(/^broken_header\.dcm: not readable as DICOM/);

    expect(report.skippedNonDicom).toBe(3); // notes.txt, photo.png, empty
    expect(report.filesScanned).toBe(19 + 3 + 3 + 3);
    expect(progress.at(-1)).toEqual({ filesSeen: report.filesScanned, filesRead: report.filesScanned });
    expect(service.listSeries()).toHaveLength(4);
  });

  it('re-imports idempotently and merges a series imported in parts', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-parts') });
    const first = copyAs(brainFiles.slice(0, 10), path.join(temp.dir, 'part1'), (name) => name);
    const second = copyAs(brainFiles.slice(10), path.join(temp.dir, 'part2'), (name) => name);
    await service.importPaths([path.dirname(first[0] ?? '')], { thumbnails: false });
    expect(service.listSeries()[0]?.sliceCount).toBe(10);
    const report = await service.importPaths([path.dirname(second[0] ?? '')], { thumbnails: false });
    expect(report.series).toHaveLength(1);
    expect(service.listSeries()).toHaveLength(1);
    expect(service.listSeries()[0]).toMatchObject({ sliceCount: 20, problems: [] });
    await service.importPaths([path.dirname(second[0] ?? '')], { thumbnails: false });
    expect(service.listSeries()[0]?.sliceCount).toBe(20);
    const id = service.listSeries()[0]?.seriesId ?? '';
    expect(await service.removeSeries(id)).toEqual([]);
    await expect(service.removeSeries(id)).rejects.toThrow(/No series/);
  });

  it('stops when cancelled', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-cancel') });
    const controller = new AbortController();
    controller.abort();
    await expect(service.importPaths([input], { signal: controller.signal })).rejects.toThrow(/Import was cancelled/);
    expect(service.listSeries()).toEqual([]);
  });
});
