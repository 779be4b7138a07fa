/**
 * Interactive-loop benchmark (docs/interactive-loop.md): a scripted session in the built
 * browser host (headless Chromium, real trainer process) on a synthetic
 * 256x256x64 phantom with known truth (src-main/eval/phantom.ts, written as
 * DICOM). Strokes (organ inside, background away from it, real mouse drags)
 * on 3 slices, then on 2 more; after each slice the script waits until the
 * whole volume shows the newest model version. Per backend the trainer can
 * use (each on a fresh host forced to it), it prints the time from the last
 * pen-up of a slice to the first refined slice on screen and to the whole
 * volume refined (p50/p95 over the painted slices), and the Dice of the
 * shown mask against the truth after each round.
 *
 * Times come from the page (test hooks, `test-hooks=1`): the mouseup in the
 * viewport, and the frame after a viewport redrew the updated prediction.
 * With MACL_LOOP_MODE=continuous the script instead paints without pause
 * for MACL_LOOP_PAINT_SECONDS (default 120) over five slices of the organ,
 * and prints the age of the prediction on the slice on screen (sampled every
 * 250 ms: now minus when the page first heard of the model version shown
 * there; p50/p95), the model versions shown while painting, and after the
 * last pen-up the time to the first slice of a newer version and to the
 * whole volume refined.
 *
 * Settings: the trainer backend's defaults, or MACL_LOOP_SETTINGS (JSON, e.g.
 * '{"size":64,"width":4,"burstSteps":20}'). MACL_LOOP_BACKENDS=cpu,webgpu
 * picks the backends; MACL_LOOP_SIZE / MACL_LOOP_SLICES the phantom.
 *
 * A real scan instead of the phantom: `--image PATH --truth FILE [--label N]`
 * (what `macl eval` reads: a DICOM or NIfTI image, a NIfTI label map or
 * DICOM-SEG truth); the truth's label N (default 1) is the structure painted
 * and scored. The volume is written as an axial DICOM series like the
 * phantom (tests/e2e/support/realVolumeSeries.ts). On a real scan the painter
 * draws at most 8 strokes inside the structure and 8 on background per slice
 * (`--strokes N` changes it, for the phantom too; the phantom's default is every
 * other row of the organ and every fifth row around it, as before): a brain
 * fills most of its slices, so every other row of it is 30 to 70 strokes, and
 * every pen-up restarts the training and streams new versions to the page,
 * which then takes seconds per stroke on two shared cores.
 *
 * MACL_LOOP_TRACE=1 prints, on stderr, a line per phase and per stroke (how
 * long its drag took, the loop's state after it) and the page's console.
 */
import console from 'node:console';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { percentile, startHost } from './lib/hostProcess.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.MACL_CHROMIUM ?? '/usr/bin/chromium';
const size = Number(process.env.MACL_LOOP_SIZE ?? 256);
const slices = Number(process.env.MACL_LOOP_SLICES ?? 64);
const settings = process.env.MACL_LOOP_SETTINGS === undefined ? {} : JSON.parse(process.env.MACL_LOOP_SETTINGS);
const refineTimeoutMs = 1_800_000;
const rounds = [[0.2, 0.5, 0.8], [0.35, 0.65]];
const continuous = process.env.MACL_LOOP_MODE === 'continuous';
const paintSeconds = Number(process.env.MACL_LOOP_PAINT_SECONDS ?? 120);
const trace = process.env.MACL_LOOP_TRACE === '1';
const started = Date.now();
/** With MACL_LOOP_TRACE=1: one stderr line per phase, seconds since the start. */
function phase(text) {
  if (trace) console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}
const { values: realVolume } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, label: { type: 'string', default: '1' }, strokes: { type: 'string' } } });
if ((realVolume.image === undefined) !== (realVolume.truth === undefined)) {
  console.error('loopBench: --image and --truth go together (a real scan and its label map).');
  process.exit(2);
}
// A real structure fills most of its slices: every other row of it is dozens of strokes, each restarting the training.
const maxStrokes = realVolume.strokes !== undefined ? Number(realVolume.strokes) : realVolume.image === undefined ? Infinity : 8;
if (!(maxStrokes >= 1)) {
  console.error(`loopBench: --strokes wants a number of strokes of at least 1, not '${realVolume.strokes}'.`);
  process.exit(2);
}

/** The phantom writer and page helpers of the end-to-end test, bundled for Node. */
async function loadSupport(dir) {
  const outfile = path.join(dir, 'loopSupport.mjs');
  await build({
    stdin: { contents: "export * from './tests/e2e/support/phantomSeries';\nexport * from './tests/e2e/support/loopPage';\nexport * from './tests/e2e/support/paintingPage';\nexport { importPath } from './tests/e2e/support/viewerPage';\nexport * from './tests/e2e/support/realVolumeSeries';\n", resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, external: ['playwright-core'], logLevel: 'warning',
    // CommonJS packages bundled into ESM (dicom-parser) require Node built-ins: give them a require.
    banner: { js: "import { createRequire as maclCreateRequire } from 'node:module'; const require = maclCreateRequire(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}

async function openPage(browser, url, support) {
  const page = await browser.newPage();
  if (trace) page.on('console', (message) => phase(`page ${message.type()}: ${message.text()}`));
  await page.goto(support.withTestHooks(url));
  await page.getByTestId('app-shell').waitFor({ state: 'visible' });
  await page.waitForFunction(() => globalThis.document.querySelector('[data-testid="trainer-message"], .state[data-state="ready"]') !== null, null, { timeout: 300_000 });
  return page;
}

/** Backends the trainer measured as usable (the training panel's probe table), without the testing-only SwiftShader one. */
async function usableBackends(page) {
  return page.evaluate(() => [...globalThis.document.querySelectorAll('tbody[data-backend]')]
    .filter((group) => group.querySelector('td')?.textContent?.trim() === 'yes')
    .map((group) => group.getAttribute('data-backend'))
    .filter((backend) => backend !== 'webgpu-swiftshader'));
}

const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');

async function typeSettings(page) {
  await page.getByTestId('loop-settings').locator('summary').click();
  for (const [field, value] of Object.entries(settings)) await page.getByTestId(`setting-${field}`).fill(String(value));
  await page.getByTestId('settings-save').click();
}

/** One scripted session on a fresh host forced to `backend`. */
async function runBackend(browser, backend, phantom, support) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'macl-loop-bench-workspace-'));
  const host = startHost(root, workspace, ['--backend', backend]);
  try {
    const page = await openPage(browser, await host.url, support);
    phase(`page open on ${backend}`);
    await typeSettings(page);
    await support.importPath(page, phantom.folder);
    phase('imported');
    await page.getByTestId('series-entries').locator('li', { hasText: phantom.description }).locator('button.entry').click();
    await page.getByTestId('viewer-progress').waitFor({ state: 'hidden', timeout: 300_000 });
    await page.waitForFunction(() => globalThis.window.__maclTest?.loop.summary().sessionId != null, null, { timeout: 300_000 });
    phase('session started');
    await support.addSegment(page);
    for (let step = 0; step < 4; step++) await page.keyboard.press('['); // 5 mm -> 1.5 mm brush
    const [first, last] = phantom.structures[0].slices;
    const at = (f) => Math.round(first + f * (last - first));
    await support.goToSlice(page, at(rounds[0][0]));
    phase(`on slice ${at(rounds[0][0])} (structure on slices ${first}-${last}); calibrating`);
    const map = await support.calibrateAxial(page, phantom, at(rounds[0][0]));
    phase('calibrated');
    await page.evaluate(() => globalThis.window.__maclTest.loop.startTimeline());
    if (continuous) {
      const result = await paintWithoutPause(page, map, phantom, support, rounds.flat().sort((a, b) => a - b).map(at));
      await page.close();
      return { backend, ...result };
    }
    const firstSlice = [];
    const wholeVolume = [];
    const dice = [];
    let step = 0;
    for (const round of rounds) {
      for (const f of round) {
        const before = (await support.loopSummary(page)).newestVersion;
        if (trace) await paintSliceTraced(page, map, phantom, at(f), support);
        else await support.paintSlice(page, map, phantom, at(f), 1, 2, maxStrokes);
        phase('painted; waiting for the labels to be saved');
        await support.waitForSaved(page, 120_000);
        phase('saved; waiting for the volume refined');
        const refined = await support.waitForRefinedVolume(page, phantom.depth, refineTimeoutMs, before);
        phase(`refined: ${JSON.stringify(refined)}`);
        const { timeline: { penUps, updates }, isWhole } = await timelineUpTo(page, refined);
        const penUp = penUps[penUps.length - 1];
        const newer = updates.filter((update) => update.newestVersion > before && update.shownAt >= penUp);
        const firstShown = newer[0];
        const whole = newer.find(isWhole);
        if (firstShown !== undefined) firstSlice.push(firstShown.shownAt - penUp);
        if (whole !== undefined) wholeVolume.push(whole.shownAt - penUp);
        step = refined.step;
      }
      const prediction = await support.readLayer(page, 'prediction', phantom.truth.length);
      dice.push(support.dice(prediction, phantom.truth, 1));
    }
    const sortedFirst = [...firstSlice].sort((a, b) => a - b);
    const sortedWhole = [...wholeVolume].sort((a, b) => a - b);
    const summary = await support.loopSummary(page);
    await page.close();
    return { backend, samples: firstSlice.length, firstP50: percentile(sortedFirst, 0.5), firstP95: percentile(sortedFirst, 0.95), wholeSamples: wholeVolume.length, wholeP50: percentile(sortedWhole, 0.5), wholeP95: percentile(sortedWhole, 0.95), dice, steps: step, version: summary.newestVersion };
  } catch (error) {
    phase(`host output:\n${host.output().slice(-4000)}`);
    throw error;
  } finally {
    await host.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * The page's timeline once it holds the update that showed `refined` (the
 * newest version on every slice), and the test for that update: the page
 * notes an update a frame after the viewport redrew it, so it may come
 * after the summary already says the volume is refined (up to 10 s).
 */
async function timelineUpTo(page, refined) {
  const isWhole = (update) => update.newestVersion === refined.newestVersion && update.fresh === update.total;
  let timeline = await page.evaluate(() => globalThis.window.__maclTest.loop.timeline());
  for (let wait = 0; wait < 40 && !timeline.updates.some(isWhole); wait++) {
    await page.waitForTimeout(250);
    timeline = await page.evaluate(() => globalThis.window.__maclTest.loop.timeline());
  }
  return { timeline, isWhole };
}

/** support.paintSlice with a stderr line per stroke: how long its drag took and the loop's state after it. */
async function paintSliceTraced(page, map, phantom, k, support) {
  await support.goToSlice(page, k);
  const plan = support.planStrokes(phantom, k, 1, 2, maxStrokes);
  phase(`painting slice ${k}: ${plan.inside.length} strokes inside, ${plan.outside.length} outside`);
  for (const [tool, paths] of [['brush', plan.inside], ['background', plan.outside]]) {
    await support.chooseTool(page, tool);
    for (const [index, voxels] of paths.entries()) {
      const start = Date.now();
      await support.dragVoxels(page, map, voxels);
      const summary = await support.loopSummary(page);
      phase(`${tool} stroke ${index + 1}/${paths.length} (${JSON.stringify(voxels)}): ${Date.now() - start} ms; loop ${JSON.stringify({ phase: summary.phase, newestVersion: summary.newestVersion, counts: summary.counts, message: summary.message, notice: summary.notice })}`);
    }
  }
}

/** Paints for `paintSeconds` without pause, then waits for the volume refined after the last stroke. */
async function paintWithoutPause(page, map, phantom, support, slicesToPaint) {
  const painting = await support.paintContinuously(page, map, phantom, slicesToPaint, { durationMs: paintSeconds * 1000 });
  await support.waitForSaved(page, 120_000);
  const stored = await support.loopSummary(page);
  const before = Math.max(stored.modelVersion, stored.newestVersion);
  const refined = await support.waitForRefinedVolume(page, phantom.depth, refineTimeoutMs, before);
  const { timeline: { penUps, updates }, isWhole } = await timelineUpTo(page, refined);
  const penUp = penUps[penUps.length - 1];
  const newer = updates.filter((update) => update.newestVersion > before && update.shownAt >= penUp);
  const whole = newer.find(isWhole);
  const ages = painting.ages.filter((age) => age !== null).sort((a, b) => a - b);
  const prediction = await support.readLayer(page, 'prediction', phantom.truth.length);
  return {
    ageP50: percentile(ages, 0.5), ageP95: percentile(ages, 0.95), samples: painting.ages.length, withoutPrediction: painting.ages.length - ages.length,
    versionsShown: painting.versionsShown, versionsOnFocus: painting.versionsOnFocus, strokes: painting.strokes, slicesPainted: painting.slices.length,
    first: newer[0] === undefined ? Number.NaN : newer[0].shownAt - penUp, whole: whole === undefined ? Number.NaN : whole.shownAt - penUp,
    dice: support.dice(prediction, phantom.truth, 1), version: refined.newestVersion, steps: refined.step,
  };
}

function printContinuous(result) {
  console.log(`  ${result.backend}: painting ${paintSeconds} s without pause (${result.strokes} strokes over ${result.slicesPainted} slice visits): age of the prediction on the slice on screen p50 ${ms(result.ageP50)} p95 ${ms(result.ageP95)} (${result.samples} samples, ${result.withoutPrediction} before any prediction); ${result.versionsShown} model versions shown, ${result.versionsOnFocus} on the slice on screen; after the last pen-up: first slice of a newer version ${ms(result.first)}, whole volume refined ${ms(result.whole)}; Dice ${result.dice.toFixed(3)} (model version ${result.version}, ${result.steps} steps)`);
}

async function main() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'macl-loop-bench-'));
  const browser = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: chromiumPath, headless: true, viewport: { width: 1440, height: 900 },
    args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const support = await loadSupport(scratch);
    mkdirSync(path.join(scratch, 'phantom'), { recursive: true });
    const phantom = realVolume.image === undefined
      ? support.writePhantomSeries(path.join(scratch, 'phantom'), { size, slices, seed: 11 })
      : await support.writeRealVolumeSeries(path.join(scratch, 'phantom'), path.resolve(realVolume.image), path.resolve(realVolume.truth), Number(realVolume.label));
    const volumeText = realVolume.image === undefined
      ? `${size}x${size}x${slices} phantom`
      : `${phantom.width}x${phantom.height}x${phantom.depth} ${path.basename(realVolume.image)} (label ${realVolume.label} of ${path.basename(realVolume.truth)})`;
    let backends = process.env.MACL_LOOP_BACKENDS?.split(',').map((name) => name.trim()).filter(Boolean);
    if (backends === undefined) {
      const probeWorkspace = mkdtempSync(path.join(tmpdir(), 'macl-loop-bench-probe-'));
      const host = startHost(root, probeWorkspace);
      try {
        const page = await openPage(browser, await host.url, support);
        await page.locator('tbody[data-backend]').first().waitFor({ state: 'visible', timeout: 300_000 });
        backends = await usableBackends(page);
        await page.close();
      } finally {
        await host.stop();
        rmSync(probeWorkspace, { recursive: true, force: true });
      }
    }
    const perSlice = Number.isFinite(maxStrokes) ? `at most ${maxStrokes} inside and ${maxStrokes} outside per slice` : 'every other row inside, every fifth outside';
    const what = continuous ? `painting without pause for ${paintSeconds} s` : `strokes (${perSlice}) on 3 slices then 2 more`;
    console.log(`interactive loop: ${volumeText}, ${what}; settings ${JSON.stringify(settings)} (empty: the backend's defaults)`);
    for (const backend of backends) {
      try {
        const result = await runBackend(browser, backend, phantom, support);
        if (continuous) {
          printContinuous(result);
          continue;
        }
        console.log(`  ${backend}: pen-up to first refined slice p50 ${ms(result.firstP50)} p95 ${ms(result.firstP95)}; to whole volume refined p50 ${ms(result.wholeP50)} p95 ${ms(result.wholeP95)} (${result.samples} painted slices, the whole volume seen refined after ${result.wholeSamples}); Dice after 3 slices ${result.dice[0]?.toFixed(3)}, after 5 ${result.dice[1]?.toFixed(3)} (model version ${result.version}, ${result.steps} steps)`);
      } catch (error) {
        console.log(`  ${backend}: failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
