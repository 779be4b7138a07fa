/**
 * End to end, the interactive loop (docs/interactive-loop.md): in the browser host with its real trainer process
 * (WASM backend, small settings typed into the training panel), on a 64x64x16
 * phantom with known truth: paint the organ and background on three slices
 * with REAL mouse drags, wait until every slice shows the newest model
 * version, read the prediction layer from the page (test hooks) and check
 * its Dice against the truth; cancel a burst; kill the trainer process
 * mid-burst and check the panel says so, the loop comes back, and the
 * strokes are intact. Screenshots: test-output/e2e/loop-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { calibrateAxial, goToSlice, loopSummary, paintSlice, readLayer, waitForRefinedVolume, type ScreenMap } from './support/loopPage';
import { addSegment, labelSummary, waitForSaved, withTestHooks } from './support/paintingPage';
import { dice, writePhantomSeries, type PhantomSeries } from './support/phantomSeries';
import { importPath, openSeries } from './support/viewerPage';
import { killChild } from '../support/killProcess';

const screenshots = path.join(projectRoot, 'test-output/e2e');
/** Processor-friendly: the whole 64x64 slice, a U-Net of width 16, short bursts. */
const settings = { burstSteps: '150', size: '64', batch: '4', width: '16', lr: '0.005', inferBatch: '8' };
const refineTimeoutMs = 360_000;
/** Painting and a refined volume take minutes on two shared cores. */
const testTimeoutMs = 480_000;

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
let phantom: PhantomSeries;
let map: ScreenMap;
const pageErrors: string[] = [];

async function typeSettings(): Promise<void> {
  await page.getByTestId('loop-settings').locator('summary').click();
  for (const [field, value] of Object.entries(settings)) await page.getByTestId(`setting-${field}`).fill(value);
  await page.getByTestId('settings-save').click();
}

/** The organ's slices to paint: a quarter, half and three quarters into its extent. */
function paintedSlices(): number[] {
  const [first, last] = phantom.structures[0]?.slices ?? [0, 0];
  return [0.25, 0.5, 0.75].map((f) => Math.round(first + f * (last - first)));
}

/** Organ voxels per slice, predicted/true/both, to see where a low Dice comes from. */
function perSlice(prediction: Uint8Array): string[] {
  const plane = phantom.width * phantom.height;
  return Array.from({ length: phantom.depth }, (_, k) => {
    let p = 0;
    let t = 0;
    let b = 0;
    for (let v = k * plane; v < (k + 1) * plane; v++) {
      const isP = prediction[v] === 1;
      const isT = phantom.truth[v] === 1;
      if (isP) p++;
      if (isT) t++;
      if (isP && isT) b++;
    }
    return `${k}:${p}/${t}/${b}`;
  });
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  phantom = writePhantomSeries(mkdtempSync(path.join(tmpdir(), 'macl-loop-phantom-')), { size: 64, slices: 16, seed: 3 });
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

describe('the interactive loop in the browser host', () => {
  it('opens the phantom and starts a session with the settings typed in the panel', async () => {
    await typeSettings();
    await importPath(page, phantom.folder);
    await openSeries(page, phantom.description);
    await expect.poll(async () => (await loopSummary(page)).sessionId, { timeout: 60_000 }).not.toBeNull();
    await addSegment(page);
    for (let step = 0; step < 4; step++) await page.keyboard.press('['); // 5 mm -> 1.5 mm brush
  });

  it('fills the prediction layer from strokes on three slices, with Dice >= 0.8 against the truth', async () => {
    const slices = paintedSlices();
    await goToSlice(page, slices[0] ?? 0);
    map = await calibrateAxial(page, phantom, slices[0] ?? 0);
    for (const k of slices) await paintSlice(page, map, phantom, k, 1, 2);
    await waitForSaved(page);
    const sentAt = await loopSummary(page);
    const refined = await waitForRefinedVolume(page, phantom.depth, refineTimeoutMs, sentAt.modelVersion);
    expect(refined.shown).toEqual([{ version: refined.newestVersion, slices: phantom.depth }]);
    const prediction = await readLayer(page, 'prediction', phantom.truth.length);
    const score = dice(prediction, phantom.truth, 1);
    console.log(`interactive loop e2e: Dice ${score.toFixed(3)} after strokes on slices ${slices.join(', ')}, model version ${refined.newestVersion}, step ${refined.step}`);
    console.log(`per slice (predicted/true/both): ${perSlice(prediction).join(' ')}`);
    await page.screenshot({ path: path.join(screenshots, 'loop-refined.png') });
    expect(score).toBeGreaterThanOrEqual(0.8);
  }, testTimeoutMs);

  it('cancels a burst: the loop goes idle and no slice of the stopped work follows', async () => {
    const before = await loopSummary(page);
    const k = (paintedSlices()[1] ?? 0) + 1;
    await paintSlice(page, map, phantom, k, 1, 2);
    await expect.poll(async () => (await loopSummary(page)).phase, { timeout: 60_000 }).toMatch(/training|inferring/);
    await page.getByTestId('loop-cancel').click();
    await expect.poll(async () => (await loopSummary(page)).phase, { timeout: 30_000 }).toBe('idle');
    const stopped = await loopSummary(page);
    expect(stopped.newestVersion).toBeGreaterThanOrEqual(before.newestVersion);
    await page.waitForTimeout(3000);
    const later = await loopSummary(page);
    expect(later.phase).toBe('idle');
    expect(later.newestVersion).toBe(stopped.newestVersion);
    expect(later.counts).toEqual(stopped.counts);
  }, testTimeoutMs);

  it('survives the trainer being killed mid-burst: says so, resumes, strokes intact', async () => {
    const strokesBefore = (await labelSummary(page))?.strokesChecksum;
    const k = (paintedSlices()[1] ?? 0) - 1;
    await paintSlice(page, map, phantom, k, 1, 2);
    await waitForSaved(page);
    const painted = await labelSummary(page);
    expect(painted?.strokesChecksum).not.toBe(strokesBefore);
    await expect.poll(async () => (await loopSummary(page)).phase, { timeout: 60_000 }).toBe('training');
    const running = await loopSummary(page);
    expect(running.trainerPid).not.toBeNull();
    killChild(running.trainerPid);
    await page.getByTestId('loop-notice').waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(async () => (await loopSummary(page)).notice ?? '', { timeout: 60_000 }).toMatch(/The trainer stopped \(.+\); it was restarted from the last checkpoint; your strokes are safe\./);
    await page.screenshot({ path: path.join(screenshots, 'loop-restarted.png') });
    const resumed = await waitForRefinedVolume(page, phantom.depth, refineTimeoutMs, running.modelVersion);
    expect(resumed.trainerPid).not.toBe(running.trainerPid);
    expect((await labelSummary(page))?.strokesChecksum).toBe(painted?.strokesChecksum);
    const score = dice(await readLayer(page, 'prediction', phantom.truth.length), phantom.truth, 1);
    console.log(`interactive loop e2e: Dice ${score.toFixed(3)} after the restart, model version ${resumed.newestVersion}`);
    // The loop must keep the level after the kill.
    expect(score).toBeGreaterThanOrEqual(0.8);
    expect(pageErrors).toEqual([]);
  }, testTimeoutMs);
});
