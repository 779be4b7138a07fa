/**
 * End to end: painting without pause in the browser host (real trainer
 * process, WASM backend, the processor settings with a version every 5
 * steps) on a 128x128x100 phantom. Strokes go to the trainer at each pen-up
 * and join the running burst, so new model versions must reach the slice on
 * screen while the user is still painting (before, every edit threw the
 * running work away and nothing was shown until the painting stopped).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { startHost, type RunningHost } from './support/hostProcess';
import { calibrateAxial, goToSlice, loopSummary, paintContinuously } from './support/loopPage';
import { addSegment, withTestHooks } from './support/paintingPage';
import { writePhantomSeries, type PhantomSeries } from './support/phantomSeries';
import { importPath, openSeries } from './support/viewerPage';

const settings = { burstSteps: '40', size: '64', batch: '4', width: '16', lr: '0.005', inferBatch: '8', versionEverySteps: '5' };
/** Painting stops once the slice on screen has shown 3 versions, or after 5 minutes (two shared cores can be very slow). */
const paintMs = 300_000;
const versionsWanted = 3;

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
let phantom: PhantomSeries;
const pageErrors: string[] = [];

beforeAll(async () => {
  phantom = writePhantomSeries(mkdtempSync(path.join(tmpdir(), 'macl-continuous-phantom-')), { size: 128, slices: 100, seed: 5 });
  host = await startHost(['--backend', 'wasm']);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(withTestHooks(host.url));
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('painting without pause', () => {
  it('shows new model versions on the slice on screen while the user keeps painting', async () => {
    await page.getByTestId('loop-settings').locator('summary').click();
    for (const [field, value] of Object.entries(settings)) await page.getByTestId(`setting-${field}`).fill(value);
    await page.getByTestId('settings-save').click();
    await importPath(page, phantom.folder);
    await openSeries(page, phantom.description);
    await expect.poll(async () => (await loopSummary(page)).sessionId, { timeout: 120_000 }).not.toBeNull();
    await addSegment(page);
    for (let step = 0; step < 4; step++) await page.keyboard.press('['); // 5 mm -> 1.5 mm brush
    const [first, last] = phantom.structures[0]?.slices ?? [0, 0];
    const slices = [0.35, 0.5, 0.65].map((f) => Math.round(first + f * (last - first)));
    await goToSlice(page, slices[0] ?? 0);
    const map = await calibrateAxial(page, phantom, slices[0] ?? 0);

    const startedAt = Date.now();
    const run = await paintContinuously(page, map, phantom, slices, { durationMs: paintMs, versionsOnFocus: versionsWanted });
    const paintedMs = Date.now() - startedAt;
    const ages = run.ages.filter((age): age is number => age !== null).sort((a, b) => a - b);
    console.log(`continuous painting e2e: ${run.strokes} strokes in ${Math.round(paintedMs / 1000)} s over slices ${run.slices.join(', ')}; ${run.versionsShown} versions shown, ${run.versionsOnFocus} on the slice on screen; age of the prediction there p50 ${Math.round(ages[Math.floor(ages.length / 2)] ?? Number.NaN)} ms, max ${Math.round(ages.at(-1) ?? Number.NaN)} ms (${ages.length} of ${run.ages.length} samples had one)`);
    // Versions reached the slice on screen while painting went on, one after the other.
    expect(run.versionsOnFocus).toBeGreaterThanOrEqual(versionsWanted);
    expect(ages.length).toBeGreaterThan(0);
    const summary = await loopSummary(page);
    expect(summary.streamError).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 480_000);
});
