/**
 * A second copy of an imported series (same UIDs, other files), met inside a
 * later import, must not move the series onto the copy: the series keeps its
 * files and no problem, and the report says the copy was already imported.
 * A picked folder that does not exist is reported as such.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { brainFiles, copyAs, daikonData, tempDir } from '../dicom/helpers/testData';

const temp = tempDir('reimport-copy');
afterAll(() => temp.cleanup());

describe('importing a copy of an indexed series', () => {
  it('leaves the series on its original files and says the copy was already imported', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws') });
    const original = copyAs(brainFiles, path.join(temp.dir, 'study'), (name) => name);
    await service.importPaths([path.join(temp.dir, 'study')], { thumbnails: false });
    const [series] = service.listSeries();
    if (series === undefined) throw new Error('nothing imported');
    const before = service.resolveSeriesFile(series.seriesId, 0);

    // A scratch folder holding another series and a renamed copy of the first.
    const scratch = path.join(temp.dir, 'scratch');
    copyAs(brainFiles, path.join(scratch, 'copy'), (_name, index) => `IM${String(index).padStart(4, '0')}`);
    copyAs([path.join(daikonData, 'jpeg_2000.dcm')], path.join(scratch, 'other'), (name) => name);
    const report = await service.importPaths([scratch], { thumbnails: false });

    expect(report.alreadyImported).toEqual([
      { seriesId: series.seriesId, description: series.description, files: 20, indexedFolder: path.join(temp.dir, 'study'), foundIn: path.join(scratch, 'copy') },
    ]);
    expect(report.series.map((s) => s.seriesId)).not.toContain(series.seriesId);
    expect(report.series).toHaveLength(1); // the other series is added
    const after = service.listSeries().find((s) => s.seriesId === series.seriesId);
    expect(after?.problems).toEqual([]);
    expect(after?.sliceCount).toBe(20);
    expect(service.resolveSeriesFile(series.seriesId, 0)).toEqual(before);
    for (let k = 0; k < 20; k++) expect(original).toContain(service.resolveSeriesFile(series.seriesId, k)?.path);
  });

  it('re-importing the same folder changes nothing and reports no copy', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-same') });
    const folder = path.dirname(copyAs(brainFiles, path.join(temp.dir, 'same'), (name) => name)[0] ?? '');
    await service.importPaths([folder], { thumbnails: false });
    const report = await service.importPaths([folder], { thumbnails: false });
    expect(report.alreadyImported).toEqual([]);
    expect(service.listSeries()).toHaveLength(1);
    expect(service.listSeries()[0]).toMatchObject({ sliceCount: 20, problems: [] });
  });

  it('says a picked folder does not exist', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws-missing') });
    const missing = path.join(temp.dir, 'no-such-folder');
    const report = await service.importPaths([missing], { thumbnails: false });
    expect(report.notFound).toEqual([missing]);
    expect(report.refused).toEqual([]);
  });
});
