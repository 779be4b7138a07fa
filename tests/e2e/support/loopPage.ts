/**
 * Page helpers for the interactive loop (end-to-end test and loop
 * benchmark): the loop's state and the label layers read from the test
 * hooks, moving the axial view to a k slice, finding where a voxel lies on
 * screen (calibrated with two background dots, which are correct labels
 * anyway), and painting a phantom slice with real mouse drags: a column and
 * every other row inside the structure (kept off its edge), background
 * strokes on every fifth row up to a few voxels from it.
 */
import type { Page } from 'playwright-core';
import type { LoopSummary } from '../../../src-renderer/session/loopTestHooks';
import { decodeRuns, applyRuns } from '../../../src-main/shared/labels/labelRuns';
import { addSegment, chooseTool } from './paintingPage';
import type { PhantomSeries } from './phantomSeries';
import { importPath, openSeries } from './viewerPage';

/** What `window.__maclTest.loop.summary()` answers: the page's own type. */
export type { LoopSummary };

type Layer = 'strokes' | 'accepted' | 'prediction';

export async function loopSummary(page: Page): Promise<LoopSummary> {
  return page.evaluate(() => {
    const hooks = (window as unknown as { __maclTest?: { loop: { summary(): LoopSummary } } }).__maclTest;
    if (hooks === undefined) throw new Error('The test hooks are not installed: open the page with test-hooks=1.');
    return hooks.loop.summary();
  });
}

/** A label layer of the open series, read from the page. */
export async function readLayer(page: Page, layer: Layer, voxels: number): Promise<Uint8Array> {
  const runs = await page.evaluate((name) => {
    const hooks = (window as unknown as { __maclTest?: { loop: { layerRuns(layer: string): Uint8Array | null } } }).__maclTest;
    return hooks?.loop.layerRuns(name) ?? null;
  }, layer);
  if (runs === null) throw new Error(`The ${layer} layer is not loaded in the page.`);
  const values = new Uint8Array(voxels);
  applyRuns(values, decodeRuns(runs, voxels));
  return values;
}

/** Steps the axial view with the arrow keys until it shows slice k of the sorted grid. */
export async function goToSlice(page: Page, k: number): Promise<void> {
  const pane = page.getByTestId('pane-axial');
  await pane.focus();
  for (let attempt = 0; attempt < 2048; attempt++) {
    const current = (await loopSummary(page)).focusK;
    if (current === k) return;
    if (current === null) throw new Error('The axial view shows no slice of the series.');
    const before = current;
    await page.keyboard.press('ArrowUp');
    let after = (await loopSummary(page)).focusK ?? before;
    // ArrowUp may run against k: then step the other way.
    if ((after - before) * (k - before) < 0 || after === before) {
      await page.keyboard.press('ArrowDown');
      if (after !== before) await page.keyboard.press('ArrowDown');
      after = (await loopSummary(page)).focusK ?? before;
    }
    if (after === before) throw new Error(`The axial view does not move from slice ${before} towards ${k}.`);
  }
  throw new Error(`Could not reach slice ${k}.`);
}

/** Maps voxel (i, j) of the axial slice on screen to page coordinates. */
export interface ScreenMap {
  toPage(i: number, j: number): [number, number];
}

/** Clicks at page point (x, y) with the current tool and returns the centroid (i, j) of the voxels it changed in `layer`. */
async function dotAt(page: Page, phantom: PhantomSeries, x: number, y: number, layer: Layer): Promise<[number, number]> {
  const voxels = phantom.width * phantom.height * phantom.depth;
  const before = await readLayer(page, layer, voxels);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.up();
  let after = before;
  for (let wait = 0; wait < 50 && after.every((value, v) => value === before[v]); wait++) {
    await page.waitForTimeout(100);
    after = await readLayer(page, layer, voxels);
  }
  let si = 0;
  let sj = 0;
  let n = 0;
  for (let v = 0; v < voxels; v++) {
    if (after[v] === before[v]) continue;
    si += v % phantom.width;
    sj += Math.floor(v / phantom.width) % phantom.height;
    n++;
  }
  if (n === 0) throw new Error(`A click at (${x.toFixed(0)}, ${y.toFixed(0)}) painted nothing.`);
  return [si / n, sj / n];
}

/**
 * Finds the screen map of the axial view by two background dots, the
 * second placed (by a first guess of the scale) on a voxel away from every
 * structure of slice k, which must be on screen.
 */
export async function calibrateAxial(page: Page, phantom: PhantomSeries, k: number): Promise<ScreenMap> {
  const box = await page.getByTestId('pane-axial').boundingBox();
  if (box === null) throw new Error('The axial pane has no box.');
  await chooseTool(page, 'background');
  const x1 = box.x + box.width / 2;
  const y1 = box.y + box.height / 2;
  const [i1, j1] = await dotAt(page, phantom, x1, y1, 'strokes');
  const guess = Math.min(box.width, box.height) / Math.max(phantom.width, phantom.height);
  // Farther out when the structure fills the middle of the slice (a brain): the first clear one is used.
  const offsets = [0.2, 0.3, 0.4].flatMap((d): Array<[number, number]> => [[d, d], [-d, d], [d, -d], [-d, -d]]);
  const far = farFromStructures(phantom, k, 4);
  const target = offsets.map(([di, dj]) => [Math.round(i1 + di * phantom.width), Math.round(j1 + dj * phantom.height)] as const)
    .find(([i, j]) => i >= 0 && j >= 0 && i < phantom.width && j < phantom.height && far[j * phantom.width + i] === 1);
  if (target === undefined) throw new Error('No background point to calibrate with.');
  const x2 = x1 + (target[0] - i1) * guess;
  const y2 = y1 + (target[1] - j1) * guess;
  const [i2, j2] = await dotAt(page, phantom, x2, y2, 'strokes');
  const sx = (x2 - x1) / (i2 - i1);
  const sy = (y2 - y1) / (j2 - j1);
  if (!Number.isFinite(sx) || !Number.isFinite(sy)) throw new Error('The calibration dots landed on the same voxel.');
  return { toPage: (i, j) => [x1 + (i - i1) * sx, y1 + (j - j1) * sy] };
}

/** 1 for voxels of slice k farther than `margin` voxels (Chebyshev) from any structure. */
export function farFromStructures(phantom: PhantomSeries, k: number, margin: number): Uint8Array {
  return awayFrom(phantom, k, margin, (label) => label !== 0);
}

function awayFrom(phantom: PhantomSeries, k: number, margin: number, hit: (label: number) => boolean): Uint8Array {
  const { width, height } = phantom;
  const plane = width * height;
  const out = new Uint8Array(plane);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      let clear = true;
      for (let dj = -margin; dj <= margin && clear; dj++) {
        for (let di = -margin; di <= margin && clear; di++) {
          const ii = Math.min(width - 1, Math.max(0, i + di));
          const jj = Math.min(height - 1, Math.max(0, j + dj));
          if (hit(phantom.truth[k * plane + jj * width + ii] ?? 0)) clear = false;
        }
      }
      out[j * width + i] = clear ? 1 : 0;
    }
  }
  return out;
}

/**
 * `count` items of `items` spread evenly over it, first and last included
 * (all of them when `count` is at least their number).
 */
export function spreadEvenly<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  if (count <= 0) return [];
  if (count === 1) return [items[Math.floor(items.length / 2)] as T];
  return Array.from({ length: count }, (_, n) => items[Math.round((n * (items.length - 1)) / (count - 1))] as T);
}

/**
 * Voxel paths (i, j) to paint on slice k: inside `label` (kept `margin` from
 * its edge) and on background away from it. `maxStrokes` caps each of the
 * two lists (rows kept evenly spread, the inside column always kept): a
 * structure that fills most of a real slice has dozens of rows, and every
 * pen-up restarts the loop's training, so painting all of them takes the
 * page minutes per slice on a processor.
 */
export function planStrokes(phantom: PhantomSeries, k: number, label: number, margin: number, maxStrokes = Infinity): { inside: Array<Array<[number, number]>>; outside: Array<Array<[number, number]>> } {
  const { width, height } = phantom;
  const deep = awayFrom(phantom, k, margin, (value) => value !== label);
  const clear = awayFrom(phantom, k, margin + 1, (value) => value === label);
  let si = 0;
  let sj = 0;
  let n = 0;
  deep.forEach((value, v) => {
    if (value === 1) {
      si += v % width;
      sj += Math.floor(v / width);
      n++;
    }
  });
  if (n === 0) throw new Error(`Label ${label} is too small on slice ${k} to paint inside it.`);
  const ci = Math.round(si / n);
  const cj = Math.round(sj / n);
  const runsOf = (mask: Uint8Array, along: 'row' | 'column', at: number, minLength: number): Array<Array<[number, number]>> => {
    const paths: Array<Array<[number, number]>> = [];
    const length = along === 'row' ? width : height;
    let start = -1;
    for (let t = 0; t <= length; t++) {
      const v = along === 'row' ? at * width + t : t * width + at;
      const on = t < length && mask[v] === 1;
      if (on && start < 0) start = t;
      if (!on && start >= 0) {
        if (t - start >= minLength) paths.push(along === 'row' ? [[start, at], [t - 1, at]] : [[at, start], [at, t - 1]]);
        start = -1;
      }
    }
    return paths;
  };
  // Inside: the column through its centre and every other row; outside: every fifth row, up to two voxels from its edge.
  const column = runsOf(deep, 'column', ci, 1);
  const rows: Array<Array<[number, number]>> = [];
  for (let j = cj % 2; j < height; j += 2) rows.push(...runsOf(deep, 'row', j, 1));
  const inside = [...column, ...spreadEvenly(rows, Math.max(0, maxStrokes - column.length))];
  const outside: Array<Array<[number, number]>> = [];
  for (let j = 2; j < height - 2; j += 5) outside.push(...runsOf(clear, 'row', j, 3));
  return { inside, outside: spreadEvenly(outside, maxStrokes) };
}

/** Drags along a voxel path on the axial view. */
export async function dragVoxels(page: Page, map: ScreenMap, path: ReadonlyArray<readonly [number, number]>, steps = 10): Promise<void> {
  const [first, ...rest] = path;
  if (first === undefined) return;
  const [x0, y0] = map.toPage(first[0], first[1]);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const point of rest) {
    const [x, y] = map.toPage(point[0], point[1]);
    await page.mouse.move(x, y, { steps });
  }
  await page.mouse.up();
}

/** Paints slice k of the phantom: `label` strokes inside the structure with the brush, background strokes away from it (at most `maxStrokes` of each). */
export async function paintSlice(page: Page, map: ScreenMap, phantom: PhantomSeries, k: number, label: number, margin = 3, maxStrokes = Infinity): Promise<void> {
  await goToSlice(page, k);
  const plan = planStrokes(phantom, k, label, margin, maxStrokes);
  await chooseTool(page, 'brush');
  for (const path of plan.inside) await dragVoxels(page, map, path);
  await chooseTool(page, 'background');
  for (const path of plan.outside) await dragVoxels(page, map, path);
}

/** Waits until every slice shows the newest model version and the loop is idle; returns the summary. */
export async function waitForRefinedVolume(page: Page, slices: number, timeoutMs: number, newerThan = 0): Promise<LoopSummary> {
  const deadline = Date.now() + timeoutMs;
  let last: LoopSummary | null = null;
  while (Date.now() < deadline) {
    last = await loopSummary(page);
    if (last.streamError !== null) throw new Error(`The session stream failed: ${last.streamError}`);
    // A failed session trains no more: no newer version will come.
    if (last.phase === 'failed') throw new Error(`The session failed: ${last.message ?? last.notice ?? 'no message'}`);
    if (last.phase === 'idle' && last.newestVersion > newerThan && last.counts?.fresh === slices) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`The volume was not refined within ${timeoutMs / 1000} s; last state: ${JSON.stringify(last)}`);
}

/** What `window.__maclTest.loop.ageSamples()` answers. */
export interface ContinuousPainting {
  /** Ages of the prediction on the slice on screen, sampled while painting (ms; null: no prediction there yet). */
  readonly ages: ReadonlyArray<number | null>;
  readonly versionsShown: number;
  readonly versionsOnFocus: number;
  /** Strokes drawn (each ends with a pen-up). */
  readonly strokes: number;
  /** Slices painted, in order. */
  readonly slices: readonly number[];
}

export interface PaintOptions {
  /** Paint this long at most. */
  readonly durationMs: number;
  /** Stop earlier once the slice on screen has shown this many model versions. */
  readonly versionsOnFocus?: number;
  readonly label?: number;
  readonly sampleMs?: number;
}

/**
 * Paints without pause: the planned strokes of `slices` (inside the label,
 * then background), one slice after the other, round after round, while the
 * page samples the age of the prediction on the slice on screen; for
 * `durationMs`, or until the slice on screen has shown `versionsOnFocus`
 * versions.
 */
export async function paintContinuously(page: Page, map: ScreenMap, phantom: PhantomSeries, slices: readonly number[], options: PaintOptions): Promise<ContinuousPainting> {
  const { durationMs, versionsOnFocus = Infinity, label = 1, sampleMs = 250 } = options;
  const hooks = 'window.__maclTest.loop';
  await page.evaluate(`${hooks}.startAgeSampler(${sampleMs})`);
  const deadline = Date.now() + durationMs;
  let enough = false;
  const done = (): boolean => enough || Date.now() >= deadline;
  let strokes = 0;
  const painted: number[] = [];
  const drawn = async (): Promise<void> => {
    strokes++;
    if (Number.isFinite(versionsOnFocus)) enough = ((await page.evaluate(`${hooks}.ageSamples(false)`)) as { versionsOnFocus: number }).versionsOnFocus >= versionsOnFocus;
  };
  for (let round = 0; !done(); round++) {
    for (const k of slices) {
      if (done()) break;
      await goToSlice(page, k);
      painted.push(k);
      // Later rounds shift the rows so each round adds new strokes.
      const plan = planStrokes(phantom, k, label, 2 + (round % 2));
      await chooseTool(page, 'brush');
      for (const path of plan.inside) {
        if (done()) break;
        await dragVoxels(page, map, path, 4);
        await drawn();
      }
      await chooseTool(page, 'background');
      for (const path of plan.outside) {
        if (done()) break;
        await dragVoxels(page, map, path, 4);
        await drawn();
      }
    }
  }
  const samples = (await page.evaluate(`${hooks}.ageSamples(true)`)) as Omit<ContinuousPainting, 'strokes' | 'slices'>;
  return { ...samples, strokes, slices: painted };
}

/** Types training settings into the loop panel (field id -> value) and keeps them for new sessions. */
export async function typeLoopSettings(page: Page, settings: Readonly<Record<string, string>>): Promise<void> {
  const panel = page.getByTestId('loop-settings');
  // The summary toggles the panel: open it only when it is closed (a second call finds it open).
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  for (const [field, value] of Object.entries(settings)) await page.getByTestId(`setting-${field}`).fill(value);
  await page.getByTestId('settings-save').click();
}

/**
 * Imports a phantom and opens it with `settings` typed into the loop panel
 * first (its session starts with them), waits for that session and adds a
 * segment to paint.
 */
export async function openPhantomSession(page: Page, phantom: PhantomSeries, settings: Readonly<Record<string, string>>): Promise<void> {
  const before = (await loopSummary(page)).sessionId;
  await typeLoopSettings(page, settings);
  await importPath(page, phantom.folder);
  await openSeries(page, phantom.description);
  const started = async (): Promise<boolean> => {
    const summary = await loopSummary(page);
    return summary.sessionId !== null && summary.sessionId !== before;
  };
  for (const deadline = Date.now() + 120_000; !(await started()); await page.waitForTimeout(250)) {
    if (Date.now() > deadline) throw new Error(`No session started on ${phantom.description} within 120 s.`);
  }
  await addSegment(page);
}
