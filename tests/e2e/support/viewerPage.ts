/**
 * Page helpers for the viewer end-to-end test: import through the import
 * panel, open a series, and read what the viewports actually rendered
 * (pixels from their canvases, and the overlay text).
 */
import type { Page } from 'playwright-core';

/** The three planes, as the panes' test ids name them. */
export const planes = ['axial', 'sagittal', 'coronal'] as const;
export type Plane = (typeof planes)[number];

/** What a viewport's canvas shows: size, brightness statistics and a coarse grid to compare images. */
export interface CanvasPixels {
  readonly width: number;
  readonly height: number;
  /** Mean and standard deviation of the luminance (0..255). */
  readonly mean: number;
  readonly sd: number;
  /** Share of pixels brighter than 16 (not background). */
  readonly litShare: number;
  /** 32x32 mean luminance grid. */
  readonly grid: readonly number[];
}

/** Reads the rendered pixels of a plane's canvas (copied to a 2D canvas, which works for WebGL and 2D sources alike). */
export async function readCanvas(page: Page, plane: Plane): Promise<CanvasPixels> {
  return page.evaluate((id) => {
    const source = document.querySelector<HTMLCanvasElement>(`#viewport-${id} canvas`);
    if (source === null || source.width === 0 || source.height === 0) return { width: 0, height: 0, mean: 0, sd: 0, litShare: 0, grid: [] };
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    if (context === null) throw new Error('No 2D context.');
    context.drawImage(source, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    const cells = 32;
    const grid = new Array<number>(cells * cells).fill(0);
    const counts = new Array<number>(cells * cells).fill(0);
    let sum = 0;
    let sumSquares = 0;
    let lit = 0;
    for (let y = 0; y < copy.height; y++) {
      for (let x = 0; x < copy.width; x++) {
        const i = (y * copy.width + x) * 4;
        const value = 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
        sum += value;
        sumSquares += value * value;
        if (value > 16) lit++;
        const cell = Math.floor((y * cells) / copy.height) * cells + Math.floor((x * cells) / copy.width);
        grid[cell] = (grid[cell] ?? 0) + value;
        counts[cell] = (counts[cell] ?? 0) + 1;
      }
    }
    const n = copy.width * copy.height;
    const mean = sum / n;
    return {
      width: copy.width,
      height: copy.height,
      mean,
      sd: Math.sqrt(Math.max(0, sumSquares / n - mean * mean)),
      litShare: lit / n,
      grid: grid.map((total, index) => total / Math.max(1, counts[index] ?? 1)),
    };
  }, plane);
}

/** Mean absolute difference of two images' grids (0..255). */
export function gridDifference(a: CanvasPixels, b: CanvasPixels): number {
  if (a.grid.length === 0 || a.grid.length !== b.grid.length) return Number.POSITIVE_INFINITY;
  let total = 0;
  a.grid.forEach((value, index) => {
    total += Math.abs(value - (b.grid[index] ?? 0));
  });
  return total / a.grid.length;
}

/** Whether an image looks like anatomy rather than a blank, uniform or noise-free frame. */
export function looksRendered(pixels: CanvasPixels): boolean {
  return pixels.width > 0 && pixels.sd > 12 && pixels.litShare > 0.03 && pixels.litShare < 0.98;
}

/** The overlay's slice text of a plane (`12 / 20 …`) and its 0-based index. */
export async function sliceOf(page: Page, plane: Plane): Promise<{ text: string; index: number }> {
  const readout = page.getByTestId(`slice-${plane}`);
  const text = (await readout.textContent()) ?? '';
  const index = Number(await readout.getAttribute('data-slice-index'));
  return { text, index };
}

/** The overlay's window text of a plane (`W 400  L 40`). */
export async function windowOf(page: Page, plane: Plane): Promise<string> {
  return (await page.getByTestId(`window-${plane}`).textContent()) ?? '';
}

/** Types a path into the import panel, imports it and waits for the report; throws with the panel's message if the import fails. */
export async function importPath(page: Page, absolutePath: string): Promise<string> {
  await page.getByTestId('import-path').fill(absolutePath);
  await page.getByTestId('import-submit').click();
  const finished = page.locator('[data-testid="import-run"]:not([data-state="running"])');
  await finished.waitFor({ state: 'visible', timeout: 120_000 });
  const text = (await finished.textContent()) ?? '';
  if ((await finished.getAttribute('data-state')) !== 'done') throw new Error(`The import did not finish: ${text.trim()}`);
  return text;
}

/** Opens the series whose row mentions `text`, and waits until all three planes show a slice and loading is over. */
export async function openSeries(page: Page, text: string): Promise<void> {
  await page.getByTestId('series-entries').locator('li', { hasText: text }).locator('button.entry').click();
  for (const plane of planes) await page.getByTestId(`slice-${plane}`).waitFor({ state: 'visible', timeout: 120_000 });
  await page.getByTestId('viewer-progress').waitFor({ state: 'hidden', timeout: 120_000 });
}
