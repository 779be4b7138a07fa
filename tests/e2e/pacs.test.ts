/**
 * End to end in the browser host, in headless Chromium, against a real
 * Orthanc (DICOMweb) on loopback: add a connection, search, retrieve the
 * brain MR series into the workspace, open it, paint a segment with real
 * mouse drags, export a DICOM-SEG, send it from the Files menu to the server
 * the series came from, then find it in Orthanc through its REST API and
 * validate the copy Orthanc holds with dciodvfy. Screenshot:
 * test-output/e2e/pacs-sent.png.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { dciodvfy } from '../unit/dicom/seg/helpers/segChecks';
import { brainFiles } from '../unit/dicom/helpers/testData';
import { orthancMissing, startOrthanc, type RunningOrthanc } from '../unit/pacs/helpers/orthanc';
import { launchChromium } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { closeDialog, exportSegThroughDialog } from './support/labelFilesPage';
import { addSegment, chooseTool, dragIn, labelSummary, strokeCount, waitForSaved, withTestHooks } from './support/paintingPage';
import { openSeries } from './support/viewerPage';

const missing = orthancMissing();
if (missing !== null && process.env.CI === 'true') throw new Error(missing);
const screenshots = path.join(projectRoot, 'test-output/e2e');
// The brain series uses the invalid UID root 0.0.0.0; the SEG must reference it as it is.
const sourceUidRoot = (line: string): boolean => /Illegal root for UID - "0\.0\.0\.0\./.test(line);

describe.skipIf(missing !== null)('PACS in the browser host', () => {
  let orthanc: RunningOrthanc;
  let host: RunningHost;
  let browser: BrowserContext;
  let page: Page;
  let temp: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    temp = mkdtempSync(path.join(tmpdir(), 'macl-e2e-pacs-'));
    orthanc = await startOrthanc();
    for (const file of brainFiles) await orthanc.upload(file);
    host = await startHost();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(withTestHooks(host.url));
    await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await orthanc?.close();
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  });

  it('searches, retrieves, labels, exports and sends a DICOM-SEG that Orthanc then holds', async () => {
    await page.getByTestId('pacs-add').click();
    await page.getByTestId('pacs-name').fill('Test Orthanc');
    await page.getByTestId('pacs-url').fill(orthanc.dicomWebUrl);
    await page.getByTestId('pacs-save').click();
    await page.getByTestId('pacs-connection-form').waitFor({ state: 'hidden' });
    await page.getByLabel('Patient ID').fill('123565');
    await page.getByTestId('pacs-search-submit').click();
    await page.getByTestId('pacs-study').first().locator('button').click();
    await page.getByTestId('pacs-retrieve').click();
    const done = page.locator('[data-testid="pacs-retrieve-run"][data-state="done"]');
    await done.waitFor({ state: 'visible', timeout: 120_000 });
    expect(await done.textContent()).toContain('Retrieved: 20 fetched, 0 already in the workspace.');
    const storeFolders = readdirSync(path.join(host.workspace, 'pacs-store', '0.0.0.0.2.8811.20010413115754.12432'));
    expect(readdirSync(path.join(host.workspace, 'pacs-store', '0.0.0.0.2.8811.20010413115754.12432', storeFolders[0] ?? ''))).toHaveLength(20);

    await openSeries(page, '20 slices');
    await expect.poll(async () => labelSummary(page), { timeout: 30_000 }).not.toBeNull();
    await addSegment(page);
    await chooseTool(page, 'brush');
    await dragIn(page, 'axial', [0.35, 0.4], [0.6, 0.55]);
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBeGreaterThan(20);
    await waitForSaved(page);
    const { path: segFile, dialog } = await exportSegThroughDialog(page, { folder: path.join(temp, 'seg'), description: 'E2E PACS', seriesNumber: 914, creator: 'Test^Reader' });
    expect(path.dirname(segFile)).toBe(path.join(temp, 'seg'));
    await closeDialog(dialog);

    await page.getByTestId('send-seg-to-pacs').click();
    await expect.poll(async () => page.getByTestId('pacs-send-path').inputValue()).toBe(segFile);
    await page.getByTestId('pacs-send-submit').click();
    const result = page.getByTestId('pacs-send-result');
    await result.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Test Orthanc \(http:\/\/127\.0\.0\.1:\d+\/dicom-web\): 1 accepted, 0 failed\./);
    await page.screenshot({ path: path.join(screenshots, 'pacs-sent.png') });

    const series = (await orthanc.rest('/series?expand')) as { ID: string; MainDicomTags: { Modality: string; SeriesDescription?: string }; Instances: string[] }[];
    const seg = series.filter((entry) => entry.MainDicomTags.Modality === 'SEG');
    expect(seg.map((entry) => entry.MainDicomTags.SeriesDescription)).toEqual(['E2E PACS']);
    const response = await fetch(`${orthanc.origin}/instances/${seg[0]?.Instances[0] ?? ''}/file`);
    const held = path.join(temp, 'held-by-orthanc.dcm');
    writeFileSync(held, Buffer.from(await response.arrayBuffer()));
    const iod = dciodvfy(held);
    expect(iod.errors.filter((line) => !sourceUidRoot(line)), iod.output).toEqual([]);
  });
});
