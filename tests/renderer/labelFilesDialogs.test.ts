/**
 * The label file UI: the Files area of the segments panel opens the export
 * and import dialogs for the open series; each dialog calls the app with
 * what was typed, sends pending edits first, and shows the app's message
 * (path and cause) when it refuses.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'vue';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { runsToBytes, runsFromLayer } from '../../src-main/shared/labels/labelRuns';
import { err, ok } from '../../src-main/shared/result';
import ExportNiftiDialog from '../../src-renderer/components/ExportNiftiDialog.vue';
import ImportLabelsDialog from '../../src-renderer/components/ImportLabelsDialog.vue';
import LabelFilesMenu from '../../src-renderer/components/LabelFilesMenu.vue';
import type { LabelDocument } from '../../src-renderer/labels/labelDocument';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useLabelsStore } from '../../src-renderer/stores/labels';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { makeSegment, voxelCentre } from './labels/labelFixtures';
import { LabelFilesApp, labelSegment } from './support/labelFilesApp';
import { axialGeometry, makeSeries } from './support/fakeApp';

const dims: [number, number, number] = [16, 12, 6];
const count = dims[0] * dims[1] * dims[2];
const geometry = axialGeometry(dims);
const seriesA = 'series-a' as SeriesId;

let app: LabelFilesApp;
let pinia: Pinia;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  app = new LabelFilesApp();
  useConnectionStore().attach(app.files);
  useSeriesStore().replaceAll([makeSeries({ seriesId: seriesA, geometry, description: 'Brain MR' })]);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

/** Polls until `check` holds (the flows chain several awaited calls). */
async function until(check: () => boolean): Promise<void> {
  await vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });
}

async function openSeries(): Promise<ReturnType<typeof useLabelsStore>> {
  app.addSeries(seriesA, dims, [makeSegment(1, { name: 'Liver' })]);
  const labels = useLabelsStore();
  useSeriesStore().selectedId = seriesA;
  await until(() => labels.loadState === 'loaded');
  return labels;
}

function paint(doc: LabelDocument): void {
  doc.beginStroke({ tool: 'brush', label: 1, radiusMm: 1.5, planeNormal: [0, 0, 1], lockedLabels: new Set() });
  doc.strokeTo(voxelCentre(doc.grid, 4, 4, 2));
  doc.endStroke();
}

const mountIt = (component: Component, props: Record<string, unknown> = {}): VueWrapper => {
  const mounted: VueWrapper = mount(component, { props, global: { plugins: [pinia] }, attachTo: document.body });
  wrapper = mounted;
  return mounted;
};

describe('LabelFilesMenu', () => {
  it('offers nothing to export or import before a series is open', () => {
    const menu = mountIt(LabelFilesMenu);
    for (const button of ['.export-seg-open', '.export-nifti-open', '.import-labels-open']) expect(menu.get(button).attributes('disabled')).toBeDefined();
    expect(menu.get('.export-seg-open').attributes('title')).toBe('Open a series to export or import its labels');
  });

  it('opens the DICOM-SEG export for the open series and sends the pending edits before exporting', async () => {
    const labels = await openSeries();
    const menu = mountIt(LabelFilesMenu);
    // No dialog is in the page before it is used.
    expect(menu.find('dialog').exists()).toBe(false);
    paint(labels.document as LabelDocument);
    await menu.get('.export-seg-open').trigger('click');
    await until(() => menu.find<HTMLDialogElement>('dialog.export-seg').element?.open === true);
    expect(menu.findAll('dialog.export-seg label.segment').map((label) => label.text())).toEqual(['Liver']);
    await menu.get('dialog.export-seg input.folder').setValue('/out');
    await menu.get('dialog.export-seg form').trigger('submit');
    await until(() => menu.find('dialog.export-seg .result').exists());
    const methods = app.calls.map((call) => call.method).filter((method) => method.startsWith('labels.') && method !== 'labels.load');
    expect(methods).toEqual(['labels.apply', 'labels.exportSeg']);
    expect(menu.get('dialog.export-seg .result').text()).toBe('Written: /out/SEG_900_Segmentation.dcm (1 segment, 1 frame)');
    // The folder of the file written is offered to the NIfTI export next.
    await menu.get('.export-nifti-open').trigger('click');
    await until(() => menu.find<HTMLDialogElement>('dialog.export-nifti').element?.open === true);
    expect(menu.get<HTMLInputElement>('dialog.export-nifti input.file').element.value).toBe('/out/Brain_MR-labels.nii.gz');
  });
});

describe('ExportNiftiDialog', () => {
  it('exports to the typed file after sending the pending edits, and shows what was written', async () => {
    const before = vi.fn(() => Promise.resolve());
    app.exportNiftiAnswer = ok({ path: '/out/brain.nii.gz', voxelsLabelled: 1234 });
    const dialog = mountIt(ExportNiftiDialog, { seriesId: seriesA, beforeExport: before });
    expect(dialog.get('.hint').text()).toBe('Type the path of the file to write.');
    await dialog.get('input.file').setValue('/out/brain.nii.gz');
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('.result').exists());
    expect(before).toHaveBeenCalledOnce();
    expect(app.calls.filter((call) => call.method === 'labels.exportNifti').map((call) => call.params)).toEqual([{ seriesId: seriesA, path: '/out/brain.nii.gz' }]);
    expect(dialog.get('.result').text()).toBe('Written: /out/brain.nii.gz (1234 labelled voxels)');
    expect(dialog.emitted('exported')?.[0]).toEqual([{ path: '/out/brain.nii.gz', voxelsLabelled: 1234 }]);
  });

  it('also writes the image when asked, offering a file beside the label map', async () => {
    app.exportNiftiAnswer = ok({ path: '/out/brain.nii.gz', voxelsLabelled: 5, imagePath: '/out/brain_image.nii.gz' });
    const dialog = mountIt(ExportNiftiDialog, { seriesId: seriesA });
    await dialog.get('input.file').setValue('/out/brain.nii.gz');
    await dialog.get('input.with-image-box').setValue(true);
    expect((dialog.get('input.image-file').element as HTMLInputElement).value).toBe('/out/brain_image.nii.gz');
    await dialog.get('input.image-file').setValue('/out/brain.nii.gz');
    expect(dialog.get('.hint').text()).toBe('The image needs a file of its own.');
    await dialog.get('input.image-file').setValue('/out/brain_image.nii.gz');
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('.result').exists());
    expect(app.calls.filter((call) => call.method === 'labels.exportNifti').map((call) => call.params)).toEqual([
      { seriesId: seriesA, path: '/out/brain.nii.gz', imagePath: '/out/brain_image.nii.gz' },
    ]);
    expect(dialog.get('.result').text()).toContain('and the image /out/brain_image.nii.gz');
  });

  it('asks for a .nii or .nii.gz name and shows the app’s refusal or the failed send', async () => {
    const dialog = mountIt(ExportNiftiDialog, { seriesId: seriesA });
    await dialog.get('input.file').setValue('/out/brain.img');
    expect(dialog.get('.hint').text()).toBe('The file name must end in .nii or .nii.gz.');
    expect(dialog.get('button.export').attributes('disabled')).toBeDefined();
    await dialog.get('input.file').setValue('/readonly/brain.nii');
    app.exportNiftiAnswer = err('io', 'Could not export the labels of series series-a to /readonly/brain.nii: permission denied (EACCES).');
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('[role="alert"]').exists());
    expect(dialog.get('[role="alert"]').text()).toBe('Could not export the labels of series series-a to /readonly/brain.nii: permission denied (EACCES).');
    await dialog.setProps({ beforeExport: () => Promise.reject(new Error('Your latest label edits could not be sent to the app yet.')) });
    await dialog.get('form').trigger('submit');
    await until(() => dialog.get('[role="alert"]').text().startsWith('Your latest'));
    expect(app.calls.filter((call) => call.method === 'labels.exportNifti')).toHaveLength(1);
  });
});

describe('ImportLabelsDialog', () => {
  it('imports a NIfTI label map (chosen by its name) and says what it added', async () => {
    await openSeries();
    const volume = new Uint8Array(count);
    volume.fill(2, 100, 140);
    app.niftiVolume = volume;
    const dialog = mountIt(ImportLabelsDialog);
    await dialog.get('input.file').setValue('/data/labels.nii.gz');
    expect(dialog.get<HTMLInputElement>('input.kind-nifti').element.checked).toBe(true);
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('.result').exists());
    expect(dialog.get('.result').text()).toBe('Imported /data/labels.nii.gz: 40 voxels into the accepted masks. New segment: Label 2.');
    expect(useLabelsStore().document?.accepted[120]).toBe(2);
  });

  it('imports a DICOM-SEG and shows how its frames were placed; shows the app’s refusal', async () => {
    await openSeries();
    const volume = new Uint8Array(count);
    volume.fill(2, 300, 310);
    app.segAnswer = ok({ runs: runsToBytes(runsFromLayer(volume)), segments: [makeSegment(1, { name: 'Liver' }), labelSegment(2, 'Spleen')], framesByReference: 1, framesByPosition: 0, overlappingVoxels: 0 });
    const dialog = mountIt(ImportLabelsDialog);
    await dialog.get('input.file').setValue('/data/seg.dcm');
    expect(dialog.get<HTMLInputElement>('input.kind-seg').element.checked).toBe(true);
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('.result').exists());
    expect(dialog.get('.result').text()).toBe('Imported /data/seg.dcm: 10 voxels into the accepted masks. New segment: Spleen. Frames placed by source reference: 1, by position only: 0.');
    app.segAnswer = err('not-found', 'ENOENT: no such file or directory, open \'/data/gone.dcm\'');
    await dialog.get('input.file').setValue('/data/gone.dcm');
    await dialog.get('form').trigger('submit');
    await until(() => dialog.find('[role="alert"]').exists());
    expect(dialog.get('[role="alert"]').text()).toBe('ENOENT: no such file or directory, open \'/data/gone.dcm\'');
    expect(dialog.find('.result').exists()).toBe(false);
  });

  it('asks for a series and a path before importing', async () => {
    const dialog = mountIt(ImportLabelsDialog);
    expect(dialog.get('.hint').text()).toBe('Open a series with its labels loaded first.');
    await openSeries();
    expect(dialog.get('.hint').text()).toBe('Type the path of the file to import.');
    expect(dialog.get('button.import').attributes('disabled')).toBeDefined();
  });
});
