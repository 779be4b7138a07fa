/**
 * End to end, the interactive loop (docs/interactive-loop.md): in the browser host with its real trainer process
 * (WASM backend, small settings typed into the training panel), on a 64x64x16
 * phantom with known truth: paint the organ and background on three slices
 * with REAL mouse drags, wait until every slice shows the newest model
 * version, read the prediction layer from the page (test hooks) and check
 * its Dice against the truth; cancel a burst; kill the trainer process
 * mid-burst and check the panel says so, the loop comes back, and the
 * strokes are intact. Then paint without pause on a 128x128x100 phantom
 * (the processor settings, a version every 5 steps): strokes go to the
 * trainer at each pen-up and join the running burst, so new model versions
 * must reach the slice on screen while the user is still painting (before,
 * every edit threw the running work away and nothing was shown until the
 * painting stopped). Screenshots: test-output/e2e/loop-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, openAppPage } from './support/chromium';
import { projectRoot, startHost, type RunningHost } from './support/hostProcess';
import { calibrateAxial, goToSlice, loopSummary, openPhantomSession, paintContinuously, paintSlice, readLayer, waitForRefinedVolume, type ScreenMap } from './support/loopPage';
import { labelSummary, waitForSaved, withTestHooks } from './support/paintingPage';
import { dice, writePhantomSeries, type PhantomSeries } from './support/phantomSeries';
import { killChild } from '../support/killProcess';

const screenshots = path.join(projectRoot, 'test-output/e2e');
/** Processor-friendly: the whole 64x64 slice, a U-Net of width 16, short bursts. */
/** A version every 30 steps: fewer inference batches between training steps while the long bursts run. */
const settings = { burstSteps: '150', size: '64', batch: '4', width: '16', lr: '0.005', inferBatch: '8', versionEverySteps: '30' };
const refineTimeoutMs = 360_000;
/** The processor defaults with a version every 5 steps, for painting without pause. */
const continuousSettings = { burstSteps: '40', size: '64', batch: '4', width: '16', lr: '0.005', inferBatch: '8', versionEverySteps: '5' };
/** Painting stops once the slice on screen has shown 3 versions, or after 5 minutes (two shared cores can be very slow). */
const paintMs = 300_000;
const versionsWanted = 3;
/** Painting and a refined volume take minutes on two shared cores. */
const testTimeoutMs = 600_000;

let host: RunningHost;
let browser: BrowserContext;
let page: Page;
let phantom: PhantomSeries;
let map: ScreenMap;
const pageErrors: string[] = [];

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
  page = await openAppPage(browser, withTestHooks(host.url), pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('the interactive loop in the browser host', () => {
  it('opens the phantom and starts a session with the settings typed in the panel', async () => {
    await openPhantomSession(page, phantom, settings);
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

  it('paints without pause on a 128x128x100 phantom and shows new model versions on the slice on screen while the user keeps painting', async () => {
    const large = writePhantomSeries(mkdtempSync(path.join(tmpdir(), 'macl-continuous-phantom-')), { size: 128, slices: 100, seed: 5 });
    await openPhantomSession(page, large, continuousSettings);
    const [first, last] = large.structures[0]?.slices ?? [0, 0];
    const slices = [0.35, 0.5, 0.65].map((f) => Math.round(first + f * (last - first)));
    await goToSlice(page, slices[0] ?? 0);
    const onLarge = await calibrateAxial(page, large, slices[0] ?? 0);

    const startedAt = Date.now();
    const run = await paintContinuously(page, onLarge, large, slices, { durationMs: paintMs, versionsOnFocus: versionsWanted });
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
