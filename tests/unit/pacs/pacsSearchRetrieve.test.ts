/**
 * Search (QIDO-RS) and retrieve (WADO-RS) against a real Orthanc loaded with
 * the 20-slice brain MR series: studies by patient ID and modality, paged;
 * the series with its instance count; a retrieve into the workspace store
 * that imports like a folder, resumes without fetching what is complete, and
 * is not fetched twice.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { PacsClient } from '../../../src-main/pacs/pacsClient';
import { retrieveSeriesToStore } from '../../../src-main/pacs/pacsRetrieve';
import { searchSeries, searchStudies } from '../../../src-main/pacs/pacsSearch';
import type { RetrieveProgress } from '../../../src-main/shared/contract/pacs';
import { brainFiles, tempDir } from '../dicom/helpers/testData';
import { orthancMissing, startOrthanc, type RunningOrthanc } from './helpers/orthanc';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);

describe.skipIf(missing !== null)('QIDO-RS search and WADO-RS retrieve against Orthanc', () => {
  const temp = tempDir('pacs-retrieve');
  let orthanc: RunningOrthanc;
  let client: PacsClient;
  const brainStudy = '0.0.0.0.2.8811.20010413115754.12432';
  const brainSeries = '0.0.0.0.3.8811.2.20010413115754.12432';

  beforeAll(async () => {
    orthanc = await startOrthanc();
    for (const file of brainFiles) await orthanc.upload(file);
    client = new PacsClient({ name: 'Test Orthanc', baseUrl: orthanc.dicomWebUrl, auth: { kind: 'none' }, certificatePem: null });
  }, 60_000);
  afterAll(async () => {
    await orthanc.close();
    temp.cleanup();
  });

  it('finds the study by patient ID, modality and date range, and lists its series', async () => {
    const page = await searchStudies(client, { patientId: '123565', modality: 'MR', studyDateFrom: '2001-03-01', studyDateTo: '2001-03-31', offset: 0, limit: 10 });
    expect(page.more).toBe(false);
    expect(page.studies).toHaveLength(1);
    expect(page.studies[0]).toMatchObject({ studyInstanceUid: brainStudy, patientId: '123565', studyDate: '20010316', modalities: ['MR'], seriesCount: 1, instanceCount: 20 });
    const none = await searchStudies(client, { patientId: '123565', studyDateFrom: '2002-01-01', offset: 0, limit: 10 });
    expect(none.studies).toEqual([]);
    const series = await searchSeries(client, brainStudy);
    expect(series).toEqual([{ studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries, modality: 'MR', description: 'FSE PD AXIAL OBL', seriesNumber: 2, instanceCount: 20, inWorkspace: false }]);
  });

  it('retrieves a series into the workspace store, which imports like a folder from disk', async () => {
    const workspaceDir = path.join(temp.dir, 'ws');
    const events: RetrieveProgress[] = [];
    const outcome = await retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries, onProgress: (event) => events.push(event) });
    expect(outcome).toMatchObject({ instancesTotal: 20, fetched: 20, alreadyPresent: 0 });
    expect(readdirSync(outcome.folder).filter((name) => name.endsWith('.dcm'))).toHaveLength(20);
    expect(events.at(-1)).toMatchObject({ instancesTotal: 20, instancesDone: 20, etaSeconds: 0 });
    expect(events.at(-1)?.bytesFetched).toBe(outcome.bytesFetched);
    const series = await createImportService({ workspaceDir });
    const report = await series.importPaths([outcome.folder], { thumbnails: false });
    expect(report.refused).toEqual([]);
    expect(report.series).toHaveLength(1);
    expect(report.series[0]).toMatchObject({ seriesInstanceUid: brainSeries, sliceCount: 20, modality: 'MR' });

    // Resume: with 5 files gone, only those 5 are fetched again.
    const stored = readdirSync(outcome.folder).sort();
    for (const name of stored.slice(0, 5)) rmSync(path.join(outcome.folder, name));
    const resumed = await retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries });
    expect(resumed).toMatchObject({ instancesTotal: 20, fetched: 5, alreadyPresent: 15 });
    expect(readdirSync(outcome.folder).sort()).toEqual(stored);
    const again = await retrieveSeriesToStore({ client, workspaceDir, studyInstanceUid: brainStudy, seriesInstanceUid: brainSeries });
    expect(again).toMatchObject({ fetched: 0, alreadyPresent: 20, bytesFetched: 0 });
  });
});
