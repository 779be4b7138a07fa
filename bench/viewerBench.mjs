/**
 * Viewer benchmark: import-to-first-render time and peak memory
 * for a synthetic 512x512x300 CT series, in the built browser host driven by
 * headless Chromium. Run after the build (`npm run bench` builds first).
 * Then brush latency on the same volume: real mouse drags with the
 * brush in each plane, timed in the page from the pointer event to the frame
 * after the viewport redrew the changed labelmap (test hooks, `test-hooks=1`).
 *
 * Times are measured from the click on Import. Memory: the peak resident set
 * (VmHWM from /proc/<pid>/status) of Chromium's renderer processes and of
 * the whole browser process tree, plus the page's peak JS heap
 * (CDP Performance.getMetrics JSHeapUsedSize, sampled every 100 ms).
 */
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { percentile, startHost } from './lib/hostProcess.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromiumPath = process.env.MACL_CHROMIUM ?? '/usr/bin/chromium';
const size = 512;
const sliceCount = 300;
const timeoutMs = 300_000;

// ---------------------------------------------------------------- synthetic CT

const longVrs = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function element(group, tag, vr, value) {
  const bytes = typeof value === 'string' ? Buffer.from(value.length % 2 === 0 ? value : `${value}${vr === 'UI' ? '\0' : ' '}`, 'latin1') : value;
  const long = longVrs.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(tag, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(bytes.length, 8);
  else head.writeUInt16LE(bytes.length, 6);
  return Buffer.concat([head, bytes]);
}

const us = (value) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value, 0);
  return b;
};

/** One Part-10 slice, explicit VR little endian, signed 16-bit stored values. */
function ctSlice(uids, index, pixels) {
  const sop = `${uids.series}.${index + 1}`;
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    element(0x0002, 0x0003, 'UI', sop),
    element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1999.1'),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length, 0);
  const z = (index * 1.0).toFixed(1);
  const body = Buffer.concat([
    element(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.2'),
    element(0x0008, 0x0018, 'UI', sop),
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0008, 0x103e, 'LO', 'Synthetic CT 512x512x300'),
    element(0x0010, 0x0010, 'PN', 'Bench^Phantom'),
    element(0x0010, 0x0020, 'LO', 'BENCH0001'),
    element(0x0018, 0x0050, 'DS', '1.0'),
    element(0x0020, 0x000d, 'UI', uids.study),
    element(0x0020, 0x000e, 'UI', uids.series),
    element(0x0020, 0x0011, 'IS', '1'),
    element(0x0020, 0x0013, 'IS', String(index + 1)),
    element(0x0020, 0x0032, 'DS', `-175.0\\-175.0\\${z}`),
    element(0x0020, 0x0037, 'DS', '1\\0\\0\\0\\1\\0'),
    element(0x0020, 0x0052, 'UI', uids.frameOfReference),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', us(size)),
    element(0x0028, 0x0011, 'US', us(size)),
    element(0x0028, 0x0030, 'DS', '0.68359375\\0.68359375'),
    element(0x0028, 0x0100, 'US', us(16)),
    element(0x0028, 0x0101, 'US', us(16)),
    element(0x0028, 0x0102, 'US', us(15)),
    element(0x0028, 0x0103, 'US', us(1)),
    element(0x0028, 0x1050, 'DS', '40'),
    element(0x0028, 0x1051, 'DS', '400'),
    element(0x0028, 0x1052, 'DS', '-1024'),
    element(0x0028, 0x1053, 'DS', '1'),
    element(0x0028, 0x1054, 'LO', 'HU'),
    element(0x7fe0, 0x0010, 'OW', Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', groupLength), metaBody, body]);
}

/** An elliptical body (soft tissue, a spine, two lungs) that changes along z; stored = HU + 1024. */
function writeSeries(dir) {
  const base = `1.2.826.0.1.3680043.10.1999.${Date.now()}`;
  const uids = { study: `${base}.1`, series: `${base}.2`, frameOfReference: `${base}.3` };
  const pixels = new Int16Array(size * size);
  for (let k = 0; k < sliceCount; k++) {
    const t = k / (sliceCount - 1);
    const ax = 200 - 30 * Math.abs(t - 0.5);
    const ay = 140 - 20 * Math.abs(t - 0.5);
    const lungR = 55 * Math.sin(Math.PI * t);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const dx = x - 256;
        const dy = y - 256;
        let hu = -1000;
        if ((dx * dx) / (ax * ax) + (dy * dy) / (ay * ay) <= 1) {
          hu = 40 + ((x * 7 + y * 13 + k * 3) % 21) - 10;
          if ((dx - 80) ** 2 + (dy + 10) ** 2 < lungR * lungR || (dx + 80) ** 2 + (dy + 10) ** 2 < lungR * lungR) hu = -850;
          if (dx * dx + (dy - 90) ** 2 < 400) hu = 700;
        }
        pixels[y * size + x] = hu + 1024;
      }
    }
    writeFileSync(path.join(dir, `slice${String(k + 1).padStart(3, '0')}.dcm`), ctSlice(uids, k, pixels));
  }
}

// ---------------------------------------------------------------- processes

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

/** Chromium's process tree for `profile`: the browser (its command line names the profile) and all its descendants. */
function chromiumProcesses(profile) {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((pid) => {
    const status = readProc(pid, 'status');
    return {
      pid,
      ppid: /^PPid:\s+(\d+)/m.exec(status)?.[1] ?? '',
      cmdline: readProc(pid, 'cmdline').split('\0').join(' '),
      hwmKb: Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      rssKb: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    };
  });
  const inTree = new Set(all.filter((p) => p.cmdline.includes(profile) && !p.cmdline.includes('--type=')).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => inTree.has(p.pid));
}

// ---------------------------------------------------------------- page

/** Whether the axial canvas shows a non-uniform image (luminance SD above 12). */
function axialRendered(page) {
  return page.evaluate(() => {
    const { document } = globalThis;
    const source = document.querySelector('#viewport-axial canvas');
    if (source === null || source.width === 0 || source.height === 0) return false;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let sum = 0;
    let squares = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const v = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += v;
      squares += v * v;
    }
    const mean = sum / n;
    return Math.sqrt(Math.max(0, squares / n - mean * mean)) > 12;
  });
}

async function until(what, check, deadline) {
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(25);
  }
}

// ---------------------------------------------------------------- brush latency

const latencySamplesPerPlane = 100;

/** Drags the brush across a plane's pane in small real mouse moves (a hand's pace) until enough samples came in. */
async function brushLatency(page, plane) {
  const box = await page.getByTestId(`pane-${plane}`).boundingBox();
  if (box === null) throw new Error(`The ${plane} pane has no box.`);
  await page.evaluate(() => globalThis.window.__maclTest.startLatency());
  const y0 = box.y + box.height * 0.5;
  let samples = [];
  for (let pass = 0; pass < 4 && samples.length < latencySamplesPerPlane; pass++) {
    const y = y0 + (pass - 1.5) * 12;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    for (let step = 0; step <= 60; step++) {
      await page.mouse.move(box.x + box.width * (0.2 + (0.6 * step) / 60), y);
      await sleep(16);
    }
    await page.mouse.up();
    await sleep(300);
    samples = await page.evaluate(() => {
      const hooks = globalThis.window.__maclTest;
      const taken = hooks.stopLatency();
      hooks.startLatency();
      return taken;
    }).then((taken) => samples.concat(taken));
  }
  await page.evaluate(() => globalThis.window.__maclTest.stopLatency());
  const sorted = samples.slice(0, latencySamplesPerPlane).sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN };
}

async function measureBrushLatency(page) {
  await page.waitForFunction(() => globalThis.window.__maclTest?.labelSummary() != null, null, { timeout: timeoutMs });
  await page.locator('.add-segment').click();
  await page.keyboard.press('Enter');
  await page.getByTestId('paint-toolbar').locator('button[data-tool="brush"]').click();
  const rows = [];
  for (const plane of ['axial', 'sagittal', 'coronal']) {
    const { n, p50, p95, max } = await brushLatency(page, plane);
    rows.push([plane, `p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  max ${max.toFixed(1)} ms  (${n} samples)`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nBrush latency (${size}x${size}x${sliceCount}, brush radius 5 mm, pointer event to the frame after the labelmap redrew)`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

// ---------------------------------------------------------------- main

async function main() {
  for (const needed of ['dist/main/host.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(path.join(root, needed))) throw new Error(`${needed} is missing: run \`node scripts/build.mjs\` first.`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is not installed at ${chromiumPath} (set MACL_CHROMIUM).`);
  const temp = mkdtempSync(path.join(tmpdir(), 'macl-viewer-bench-'));
  const seriesDir = path.join(temp, 'series');
  const workspace = path.join(temp, 'workspace');
  const profile = path.join(temp, 'profile');
  let host = null;
  let context = null;
  try {
    const writeStart = performance.now();
    mkdirSync(seriesDir);
    mkdirSync(workspace);
    writeSeries(seriesDir);
    const writeMs = performance.now() - writeStart;

    host = startHost(root, workspace);
    const url = await host.url;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const hooked = new URL(url);
    hooked.searchParams.set('test-hooks', '1');
    await page.goto(hooked.toString());
    await page.getByTestId('app-shell').waitFor({ state: 'visible' });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    let peakHeap = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          const { metrics } = await cdp.send('Performance.getMetrics');
          const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
          peakHeap = Math.max(peakHeap, used);
        } catch {
          // The page may be between states; the next sample counts.
        }
        await sleep(100);
      }
    })();

    const deadline = Date.now() + timeoutMs;
    await page.getByTestId('import-path').fill(seriesDir);
    const start = performance.now();
    await page.getByTestId('import-submit').click();
    const finished = page.locator('[data-testid="import-run"]:not([data-state="running"])');
    await finished.waitFor({ state: 'visible', timeout: timeoutMs });
    const reportMs = performance.now() - start;
    if ((await finished.getAttribute('data-state')) !== 'done') throw new Error(`The import failed: ${(await finished.textContent())?.trim()}`);

    const entry = page.getByTestId('series-entries').locator('li', { hasText: `${sliceCount} slices` }).locator('button.entry');
    await entry.waitFor({ state: 'visible', timeout: timeoutMs });
    await entry.click();
    const openMs = performance.now() - start;

    // All slices loaded: the progress element was seen and is gone again, or reports 100 %.
    let progressSeen = false;
    let loadedMs = null;
    let firstRenderMs = null;
    const progress = page.getByTestId('viewer-progress');
    await until('the first axial image and all slices', async () => {
      const now = performance.now() - start;
      if (loadedMs === null) {
        const visible = await progress.isVisible();
        if (visible) {
          progressSeen = true;
          const value = await progress.locator('progress').getAttribute('value').catch(() => null);
          if (value !== null && Number(value) >= 100) loadedMs = now;
        } else if (progressSeen || now - openMs > 10_000) {
          if (await page.getByTestId('slice-axial').isVisible()) loadedMs = now;
        }
      }
      if (firstRenderMs === null && (await axialRendered(page))) firstRenderMs = performance.now() - start;
      return loadedMs !== null && firstRenderMs !== null;
    }, deadline);
    await sleep(500);
    sampling = false;
    await sampler;

    const processes = chromiumProcesses(profile);
    const renderers = processes.filter((p) => p.cmdline.includes('--type=renderer'));
    const gpu = processes.filter((p) => p.cmdline.includes('--type=gpu-process'));
    const mib = (kb) => (kb / 1024).toFixed(0);
    const sum = (list, key) => list.reduce((total, p) => total + p[key], 0);
    const rendererPeak = renderers.reduce((max, p) => Math.max(max, p.hwmKb), 0);

    const rows = [
      ['synthetic series', `${size}x${size}x${sliceCount} int16 CT (${((size * size * 2 * sliceCount) / 2 ** 20).toFixed(0)} MiB of pixels), written in ${(writeMs / 1000).toFixed(1)} s`],
      ['import report', `${(reportMs / 1000).toFixed(2)} s`],
      ['series opened (click)', `${(openMs / 1000).toFixed(2)} s`],
      ['first axial image rendered', `${(firstRenderMs / 1000).toFixed(2)} s`],
      ['all slices loaded (100 %)', `${(loadedMs / 1000).toFixed(2)} s${progressSeen ? '' : ' (progress never seen)'}`],
      ['peak RSS, page renderer (VmHWM)', `${mib(rendererPeak)} MiB (largest of ${renderers.length} renderer process(es))`],
      ['peak RSS, GPU process (VmHWM)', `${mib(sum(gpu, 'hwmKb'))} MiB`],
      ['peak RSS, Chromium tree (sum of VmHWM)', `${mib(sum(processes, 'hwmKb'))} MiB over ${processes.length} processes (now ${mib(sum(processes, 'rssKb'))} MiB)`],
      ['peak JS heap used (CDP, sampled)', `${(peakHeap / 2 ** 20).toFixed(0)} MiB`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log('\nViewer benchmark (browser host, headless Chromium; times from the click on Import)');
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);

    await measureBrushLatency(page);
  } finally {
    await context?.close().catch(() => undefined);
    await host?.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
