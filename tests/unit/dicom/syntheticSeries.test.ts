/**
 * Series written with dcmjs: signed pixels with rescale, slices out of
 * order, gaps, uneven spacing, mixed sizes and orientations, duplicates,
 * echoes, oblique planes, and an enhanced multi-frame object.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanForImport } from '../../../src-main/importing/importScan';
import { createImportService } from '../../../src-main/importing/importService';
import { ctSlice, enhancedMrStorage, writeDcmjs } from './helpers/dcmjsWriter';
import { tempDir } from './helpers/testData';

const temp = tempDir('synthetic');
afterAll(() => temp.cleanup());

/** Writes slices into a fresh folder named `name`; file i is `f<i>.dcm`. */
async function folder(name: string, slices: Record<string, unknown>[]): Promise<string> {
  const dir = path.join(temp.dir, name);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  for (const [i, slice] of slices.entries()) await writeDcmjs(path.join(dir, `f${String(i).padStart(2, '0')}.dcm`), slice);
  return dir;
}

async function scan(dir: string) {
  const { report, entries } = await scanForImport([dir], { thumbnails: false });
  expect(report.refused).toEqual([]);
  return { report, entries };
}

describe('synthetic series (dcmjs)', () => {
  let reversedDir = '';
  beforeAll(async () => {
    // Positions descend while file names and instance numbers ascend; the
    // instance numbers are also scrambled.
    const instances = [3, 1, 5, 2, 4];
    reversedDir = await folder('reversed', instances.map((instance, i) => ctSlice({ series: '1.2.826.0.1.3680043.10.1234.77.10', instance, position: [-10, -20, 50 - i * 2.5], slope: 2, intercept: -1024, fill: 100 + i })));
  });

  it('sorts by position along the normal, not by name or instance number, and rescales signed pixels', async () => {
    const { report, entries } = await scan(reversedDir);
    expect(report.series).toHaveLength(1);
    const entry = entries[0];
    const g = report.series[0]?.geometry;
    expect(entry?.slices.map((slice) => path.basename(slice.path))).toEqual(['f04.dcm', 'f03.dcm', 'f02.dcm', 'f01.dcm', 'f00.dcm']);
    expect(entry?.slices.map((slice) => slice.positionMm)).toEqual([40, 42.5, 45, 47.5, 50]);
    expect(g).toMatchObject({ dimensions: [8, 8, 5], originMm: [-10, -20, 40], orientation: 'axial' });
    expect(g?.spacingMm).toEqual([0.6, 0.7, 2.5]);
    expect(report.series[0]?.problems).toEqual([]);

    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-reversed') });
    const imported = await service.importPaths([reversedDir], { thumbnails: true });
    expect(imported.series[0]?.thumbnail).toMatch(/^data:image\/png;base64,/);
    const volume = await service.loadVolume(imported.series[0]?.seriesId ?? '');
    // Slice z came from file f(4 - z), filled with 100 + (4 - z); HU = 2·v − 1024.
    for (let z = 0; z < 5; z++) {
      expect(volume.voxels[z * 64 + 1]).toBe(2 * (100 + 4 - z) - 1024);
      expect(volume.voxels[z * 64]).toBe(2 * -300 - 1024);
    }
  });

  it('reports a missing slice with its position, and uneven spacing with the positions around it', async () => {
    const gap = await folder('gap', [0, 2.5, 5, 10, 12.5].map((z, i) => ctSlice({ series: '1.2.826.0.1.3680043.10.1234.77.11', instance: i + 1, position: [0, 0, z] })));
    const problems = (await scan(gap)).report.series[0]?.problems ?? [];
    expect(problems).toEqual([expect.objectContaining({ code: 'missing-slices', positionsMm: [7.5] })]);
    expect(problems[0]?.message).toMatch(/1 slice\(s\) missing.*between 5 mm and 10 mm.*7\.5 mm/);

    const uneven = await folder('uneven', [0, 2.5, 5, 6.5, 9].map((z, i) => ctSlice({ series: '1.2.826.0.1.3680043.10.1234.77.12', instance: i + 1, position: [0, 0, z] })));
    const unevenProblems = (await scan(uneven)).report.series[0]?.problems ?? [];
    expect(unevenProblems).toEqual([expect.objectContaining({ code: 'uneven-spacing', positionsMm: [5, 6.5] })]);
  });

  it('splits a series mixing image sizes or orientations, naming the parts', async () => {
    const series = '1.2.826.0.1.3680043.10.1234.77.13';
    const slices = [
      ...[0, 1, 2, 3, 4].map((k) => ctSlice({ series, instance: k + 1, position: [0, 0, k * 3] })),
      ...[0, 1, 2].map((k) => ctSlice({ series, instance: 10 + k, position: [0, 0, k * 3], rows: 4, columns: 4 })),
      ctSlice({ series, instance: 20, position: [5, -50, 50], orientation: [0, 1, 0, 0, 0, -1] }), // a sagittal localizer
    ];
    const { report } = await scan(await folder('mixed', slices));
    expect(report.series.map((s) => [s.seriesId, s.sliceCount, s.columns, s.geometry?.orientation])).toEqual([
      [series, 5, 8, 'axial'],
      [`${series}#2`, 3, 4, 'axial'],
      [`${series}#3`, 1, 8, 'sagittal'],
    ]);
    const problem = report.series[1]?.problems.find((p) => p.code === 'mixed-geometry');
    expect(problem?.message).toContain(`split into ${series}, ${series}#2, ${series}#3`);
    expect(problem?.message).toMatch(/5 image\(s\) of 8x8 axial; 3 image\(s\) of 4x4 axial; 1 image\(s\) of 8x8 sagittal/);
  });

  it('splits echoes sharing positions, and reports stray duplicates', async () => {
    const series = '1.2.826.0.1.3680043.10.1234.77.14';
    const echoes = [0, 1, 2].flatMap((k) => [1, 2].map((echo) => ctSlice({ series, instance: k * 2 + echo, echo, position: [0, 0, k * 4], fill: echo * 10 })));
    const { report, entries } = await scan(await folder('echoes', echoes));
    expect(report.series.map((s) => [s.seriesId, s.sliceCount])).toEqual([[series, 3], [`${series}#2`, 3]]);
    expect(report.series[0]?.problems[0]).toMatchObject({ code: 'duplicate-position', message: expect.stringMatching(/3 positions holds 2 images/) });
    expect(entries[1]?.slices.map((s) => s.positionMm)).toEqual([0, 4, 8]);

    const strays = '1.2.826.0.1.3680043.10.1234.77.15';
    const duplicates = [0, 1, 2, 3].map((k) => ctSlice({ series: strays, instance: k + 1, position: [0, 0, k * 2] }));
    duplicates.push(ctSlice({ series: strays, instance: 9, position: [0, 0, 4] }));
    const dup = await scan(await folder('duplicates', duplicates));
    expect(dup.report.series).toHaveLength(1);
    expect(dup.report.series[0]?.sliceCount).toBe(4);
    expect(dup.report.series[0]?.problems).toEqual([expect.objectContaining({ code: 'duplicate-position', positionsMm: [4] })]);
    expect(dup.report.series[0]?.problems[0]?.message).toContain('f04.dcm');
  });

  it('handles oblique planes: normal = row × column, origin at the first slice', async () => {
    // Values short enough for a DS (16 characters).
    const c = 0.866025;
    const s = 0.5;
    const normal = [0, -s, c];
    const slices = [2, 0, 1].map((k) => ctSlice({ series: '1.2.826.0.1.3680043.10.1234.77.16', instance: k + 1, orientation: [1, 0, 0, 0, c, s], position: [1, Number((2 - s * 3 * k).toFixed(6)), Number((3 + c * 3 * k).toFixed(6))] }));
    const g = (await scan(await folder('oblique', slices))).report.series[0]?.geometry;
    expect(g?.orientation).toBe('oblique');
    g?.direction[2].forEach((v, i) => expect(v).toBeCloseTo(normal[i] ?? NaN, 5));
    expect(g?.originMm).toEqual([1, 2, 3]);
    expect(g?.spacingMm[2]).toBeCloseTo(3, 5);
  });

  it('sorts the frames of an enhanced multi-frame object by their per-frame positions, with per-frame rescale', async () => {
    const frames = 4;
    const pixels = new Int16Array(frames * 16);
    for (let f = 0; f < frames; f++) pixels.fill(f + 1, f * 16, (f + 1) * 16); // frame f holds f + 1
    const positions = [9, 3, 6, 0]; // stored out of order
    const dataset = {
      SOPClassUID: enhancedMrStorage,
      SOPInstanceUID: '1.2.826.0.1.3680043.10.1234.78.1.1',
      StudyInstanceUID: '1.2.826.0.1.3680043.10.1234.78',
      SeriesInstanceUID: '1.2.826.0.1.3680043.10.1234.78.1',
      Modality: 'MR',
      NumberOfFrames: frames,
      Rows: 4,
      Columns: 4,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 1,
      SharedFunctionalGroupsSequence: [{ PixelMeasuresSequence: [{ PixelSpacing: [1.5, 1.5], SliceThickness: 3 }], PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }] }],
      PerFrameFunctionalGroupsSequence: positions.map((z, f) => ({
        PlanePositionSequence: [{ ImagePositionPatient: [0, 0, z] }],
        PixelValueTransformationSequence: [{ RescaleIntercept: f * 100, RescaleSlope: 1, RescaleType: 'US' }],
      })),
      PixelData: [pixels.buffer],
      _vrMap: { PixelData: 'OW' },
    };
    const dir = path.join(temp.dir, 'enhanced');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    await writeDcmjs(path.join(dir, 'enhanced.dcm'), dataset);
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-enhanced') });
    const report = await service.importPaths([dir], { thumbnails: false });
    expect(report.refused).toEqual([]);
    const series = report.series[0];
    expect(series).toMatchObject({ sliceCount: 4, geometry: { dimensions: [4, 4, 4], spacingMm: [1.5, 1.5, 3], originMm: [0, 0, 0] }, problems: [] });
    const id = series?.seriesId ?? '';
    expect(service.seriesImages(id).imageUrls).toEqual([4, 2, 3, 1].map((frame) => `files/${encodeURIComponent(id)}/0?frame=${frame}`));
    expect(service.resolveSeriesFile(id, 2)).toEqual({ path: path.join(dir, 'enhanced.dcm'), frame: 2 });
    const volume = await service.loadVolume(id);
    // Sorted slice z is stored frame [3, 1, 2, 0][z]: value frame + 1 plus that frame's intercept.
    expect([0, 1, 2, 3].map((z) => volume.voxels[z * 16])).toEqual([3, 1, 2, 0].map((f) => f + 1 + f * 100));
  });
});
