/**
 * Page helpers for the painting end-to-end test: real mouse strokes in a
 * viewport, segments added through the panel, and the label summary read
 * from the read-only test hooks (present only with `test-hooks=1`).
 */
import type { Page } from 'playwright-core';
import type { LabelSummary } from '../../../src-renderer/views/testHooks';
import type { Plane } from './viewerPage';

/** What `window.__maclTest.labelSummary()` answers: the page's own type. */
export type { LabelSummary };

/** The app URL with the test hooks switched on. */
export function withTestHooks(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('test-hooks', '1');
  return parsed.toString();
}

/** The label summary of the open series, or null while no labels are loaded. */
export async function labelSummary(page: Page): Promise<LabelSummary | null> {
  return page.evaluate(() => {
    const hooks = (window as unknown as { __maclTest?: { labelSummary(): LabelSummary | null } }).__maclTest;
    if (hooks === undefined) throw new Error('The test hooks are not installed: open the page with test-hooks=1.');
    return hooks.labelSummary();
  });
}

/** Stroke voxels of `label` (0 when none). */
export function strokeCount(summary: LabelSummary | null, label: number): number {
  return summary?.counts[String(label)]?.strokes ?? 0;
}

/**
 * Drags with the primary button across a plane's viewport, from and to
 * fractions of its box (0..1), in `steps` mouse moves.
 */
export async function dragIn(page: Page, plane: Plane, from: readonly [number, number], to: readonly [number, number], steps = 12): Promise<void> {
  const box = await page.getByTestId(`pane-${plane}`).boundingBox();
  if (box === null) throw new Error(`The ${plane} pane has no box.`);
  const at = (fraction: readonly [number, number]): [number, number] => [box.x + box.width * fraction[0], box.y + box.height * fraction[1]];
  const [x0, y0] = at(from);
  const [x1, y1] = at(to);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps });
  await page.mouse.up();
}

/** Chooses a tool from the painting toolbar. */
export async function chooseTool(page: Page, tool: string): Promise<void> {
  await page.getByTestId('paint-toolbar').locator(`button[data-tool="${tool}"]`).click();
}

/** Adds a segment with the panel's button and keeps its proposed name. */
export async function addSegment(page: Page): Promise<void> {
  await page.locator('.add-segment').click();
  await page.locator('.name-input').waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Makes the segment named `name` active. */
export async function selectSegment(page: Page, name: string): Promise<void> {
  await page.locator('.segment-name', { hasText: name }).click();
}

/** Waits until the status bar says the labels are saved. */
export async function waitForSaved(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('[data-testid="status-labels"][data-state="saved"]').waitFor({ state: 'visible', timeout });
}
