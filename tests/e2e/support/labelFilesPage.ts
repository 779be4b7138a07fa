/**
 * Page helpers for the label files end-to-end test: choose a segment's coded
 * meaning, delete a segment, drive the Files dialogs of the segments panel
 * (DICOM-SEG export, NIfTI export, label import) by typing paths, and read
 * the final labels of the open series from the read-only test hooks.
 */
import type { Locator, Page } from 'playwright-core';
import { decodeRuns, type LabelRuns } from '../../../src-main/shared/labels/labelRuns';

/** Opens the meaning picker of the segment named `name`, searches `query` and takes the first match. */
export async function chooseMeaning(page: Page, name: string, query: string): Promise<void> {
  const row = page.locator('.segment-row', { has: page.locator('.segment-name', { hasText: name }) });
  await row.getByTestId('segment-meaning').click();
  await row.locator('input[role="combobox"]').fill(query);
  await page.keyboard.press('Enter');
}

/** Deletes the segment named `name` (the button asks to be pressed twice). */
export async function deleteSegment(page: Page, name: string): Promise<void> {
  const button = page.locator('.segment-row', { has: page.locator('.segment-name', { hasText: name }) }).locator('button.delete');
  await button.click();
  await button.click();
  await page.locator('.segment-name', { hasText: name }).waitFor({ state: 'detached' });
}

/** The final labels of the open series (strokes over accepted), voxel by voxel on its sorted grid. */
export async function finalLabels(page: Page, voxelCount: number): Promise<Uint8Array> {
  const runs = await page.evaluate(() => {
    const hooks = (window as unknown as { __maclTest?: { finalLabels(): Uint8Array | null } }).__maclTest;
    if (hooks === undefined) throw new Error('The test hooks are not installed: open the page with test-hooks=1.');
    return hooks.finalLabels();
  });
  if (runs === null) throw new Error('No labels are loaded in the page.');
  const volume = new Uint8Array(voxelCount);
  const decoded: LabelRuns = decodeRuns(runs, voxelCount);
  for (let r = 0; r < decoded.starts.length; r++) volume.fill(decoded.values[r] as number, decoded.starts[r] as number, (decoded.starts[r] as number) + (decoded.lengths[r] as number));
  return volume;
}

/** Waits for a dialog's result line and returns it; throws with the dialog's error (the app's message) instead. */
async function outcome(dialog: Locator, timeout = 120_000): Promise<string> {
  const done = dialog.locator('.result, [role="alert"]');
  await done.first().waitFor({ state: 'visible', timeout });
  const error = dialog.locator('[role="alert"]');
  if ((await error.count()) > 0) throw new Error(`The dialog refused: ${(await error.textContent())?.trim() ?? ''}`);
  return ((await dialog.locator('.result').textContent()) ?? '').trim();
}

async function openDialog(page: Page, opener: string, dialogClass: string): Promise<Locator> {
  await page.getByTestId('label-files').locator(opener).click();
  const dialog = page.locator(`dialog.${dialogClass}`);
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

export interface SegExportChoices {
  readonly folder: string;
  readonly description: string;
  readonly seriesNumber: number;
  readonly creator: string;
}

/** Exports every segment as a DICOM-SEG through the dialog; returns the path written, and leaves the dialog open. */
export async function exportSegThroughDialog(page: Page, choices: SegExportChoices): Promise<{ path: string; dialog: Locator }> {
  const dialog = await openDialog(page, '.export-seg-open', 'export-seg');
  await dialog.locator('input.description').fill(choices.description);
  await dialog.locator('input.series-number').fill(String(choices.seriesNumber));
  await dialog.locator('input.creator').fill(choices.creator);
  await dialog.locator('input.folder').fill(choices.folder);
  await dialog.locator('button.export').click();
  await outcome(dialog);
  return { path: ((await dialog.locator('.result code').textContent()) ?? '').trim(), dialog };
}

/** Exports the labels as a NIfTI label map to `file` through the dialog; returns the dialog's result line. */
export async function exportNiftiThroughDialog(page: Page, file: string): Promise<{ message: string; dialog: Locator }> {
  const dialog = await openDialog(page, '.export-nifti-open', 'export-nifti');
  await dialog.locator('input.file').fill(file);
  await dialog.locator('button.export').click();
  return { message: await outcome(dialog), dialog };
}

/** Imports `file` (NIfTI or DICOM-SEG, as its name says) through the dialog; returns the dialog's result line. */
export async function importLabelsThroughDialog(page: Page, file: string): Promise<{ message: string; dialog: Locator }> {
  const dialog = await openDialog(page, '.import-labels-open', 'import-labels');
  await dialog.locator('input.file').fill(file);
  await dialog.locator('button.import').click();
  return { message: await outcome(dialog), dialog };
}

/** Closes an open dialog with its Close button. */
export async function closeDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
