/**
 * The labels store's label-file flows against a fake app: pending edits are
 * sent before an export or import, a NIfTI import's answer replaces the
 * document, a DICOM-SEG import is ONE undoable edit sent as one labels.apply.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { runsToBytes, runsFromLayer } from '../../src-main/shared/labels/labelRuns';
import { err, ok } from '../../src-main/shared/result';
import type { LabelDocument } from '../../src-renderer/labels/labelDocument';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useLabelsStore } from '../../src-renderer/stores/labels';
import { useSegmentsStore } from '../../src-renderer/stores/segments';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { makeSegment, paintVoxel, sameBytes } from './labels/labelFixtures';
import { LabelFilesApp, labelSegment } from './support/labelFilesApp';
import { axialGeometry, makeSeries } from './support/fakeApp';

const dims: [number, number, number] = [16, 12, 6];
const count = dims[0] * dims[1] * dims[2];
const geometry = axialGeometry(dims);
const seriesA = 'series-a' as SeriesId;

let app: LabelFilesApp;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  app = new LabelFilesApp();
  useConnectionStore().attach(app.files);
  useSeriesStore().replaceAll([makeSeries({ seriesId: seriesA, geometry })]);
});

afterEach(() => vi.useRealTimers());

async function openSeries(): Promise<ReturnType<typeof useLabelsStore>> {
  const labels = useLabelsStore();
  useSeriesStore().selectedId = seriesA;
  await vi.advanceTimersByTimeAsync(0);
  return labels;
}

/** The calls that write or read label files or edits (not the start-up info and load). */
const methods = (): string[] => app.calls.map((call) => call.method).filter((method) => method !== 'app.info' && method !== 'labels.load');

describe('labels store: NIfTI import', () => {
  it('sends the pending stroke first, imports on its revision and shows the stored result', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1, { name: 'Liver' })]);
    const labels = await openSeries();
    const before = labels.document as LabelDocument;
    paintVoxel(before, 3, 3, 2);
    const volume = new Uint8Array(count);
    volume.fill(1, 400, 420);
    volume.fill(3, 500, 510);
    app.niftiVolume = volume;

    const result = await labels.importNifti('/data/labels.nii.gz');

    expect(result).toEqual(ok({ voxels: 30, addedSegments: ['Label 3'] }));
    expect(methods()).toEqual(['labels.apply', 'labels.importNifti']);
    expect(app.calls.find((call) => call.method === 'labels.importNifti')?.params).toEqual({ seriesId: seriesA, path: '/data/labels.nii.gz', baseRevision: 1 });
    const after = labels.document as LabelDocument;
    expect(after).not.toBe(before);
    expect(sameBytes(after.accepted, stored.accepted) && sameBytes(after.strokes, stored.strokes)).toBe(true);
    expect(after.strokes.some((value) => value === 1)).toBe(true);
    expect(after.display[505]).toBe(3);
    expect(labels.revision).toBe(2);
    expect(useSegmentsStore().segments.map((segment) => segment.name)).toEqual(['Liver', 'Label 3']);
    // Later edits build on the imported revision: no conflict, no reload.
    paintVoxel(after, 8, 8, 4);
    await vi.advanceTimersByTimeAsync(400);
    expect(app.applies.map((call) => call.baseRevision)).toEqual([0, 2]);
    expect(app.loads).toBe(1);
    expect(labels.notice).toBeNull();
  });

  it('keeps a stroke made while the file was read: reloads the import and lays the stroke over it', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries();
    const volume = new Uint8Array(count);
    volume.fill(1, 600, 640);
    app.niftiVolume = volume;
    app.onImportNifti = () => paintVoxel(labels.document as LabelDocument, 10, 2, 1);
    expect((await labels.importNifti('/data/labels.nii')).ok).toBe(true);
    await vi.advanceTimersByTimeAsync(400);
    const doc = labels.document as LabelDocument;
    expect(doc.display[620]).toBe(1);
    expect(doc.strokes.some((value) => value === 1)).toBe(true);
    expect(sameBytes(doc.strokes, stored.strokes) && sameBytes(doc.accepted, stored.accepted)).toBe(true);
    expect(labels.notice).toMatch(/changed elsewhere/);
  });

  it('shows the app’s refusal and keeps the document', async () => {
    app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries();
    const before = labels.document;
    const result = await labels.importNifti('/data/missing.nii');
    expect(result).toEqual(err('not-found', 'Could not import /data/missing.nii: no such file.'));
    expect(labels.document).toBe(before);
  });

  it('refuses while edits cannot be sent, saying why', async () => {
    app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries();
    app.setOnline(false);
    paintVoxel(labels.document as LabelDocument, 3, 3, 2);
    const result = await labels.importNifti('/data/labels.nii');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/could not be sent to the app yet/);
    expect(methods()).not.toContain('labels.importNifti');
    await expect(labels.sendEdits()).rejects.toThrow(/could not be sent to the app yet/);
  });
});

describe('labels store: DICOM-SEG import', () => {
  function segResult(volume: Uint8Array, segments = [makeSegment(1, { name: 'Liver' }), labelSegment(2, 'Spleen')]): void {
    app.segAnswer = ok({ runs: runsToBytes(runsFromLayer(volume)), segments, framesByReference: 3, framesByPosition: 0, overlappingVoxels: 0 });
  }

  it('writes the voxels and new segments as one undoable edit, sent as one labels.apply', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1, { name: 'Liver' })]);
    const labels = await openSeries();
    const doc = labels.document as LabelDocument;
    paintVoxel(doc, 3, 3, 2);
    const volume = new Uint8Array(count);
    volume.fill(1, 200, 230);
    volume.fill(2, 700, 705);
    segResult(volume);

    const result = await labels.importSeg('/data/seg.dcm');

    expect(result).toEqual(ok({ voxels: 35, addedSegments: ['Spleen'], framesByReference: 3, framesByPosition: 0, overlappingVoxels: 0 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(methods()).toEqual(['labels.apply', 'labels.importSeg', 'labels.apply']);
    const sent = app.applies[1];
    expect(sent?.baseRevision).toBe(1);
    expect(sent?.changes.map((change) => change.layer)).toEqual(['accepted']);
    expect(sent?.segments?.map((segment) => segment.name)).toEqual(['Liver', 'Spleen']);
    expect(sameBytes(stored.accepted, doc.accepted)).toBe(true);
    expect(doc.accepted[210]).toBe(1);
    expect(doc.display[702]).toBe(2);
    expect(useSegmentsStore().segments.map((segment) => segment.name)).toEqual(['Liver', 'Spleen']);

    // One undo takes back the voxels and the segment together; redo brings both back.
    labels.undo();
    await vi.advanceTimersByTimeAsync(400);
    expect(doc.accepted.some((value) => value !== 0)).toBe(false);
    expect(stored.accepted.some((value) => value !== 0)).toBe(false);
    expect(stored.segments.map((segment) => segment.name)).toEqual(['Liver']);
    expect(doc.strokes.some((value) => value === 1)).toBe(true);
    labels.redo();
    await vi.advanceTimersByTimeAsync(400);
    expect(sameBytes(stored.accepted, doc.accepted)).toBe(true);
    expect(stored.segments.map((segment) => segment.name)).toEqual(['Liver', 'Spleen']);
  });

  it('says when the file places no voxels, and shows the app’s refusal', async () => {
    app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries();
    segResult(new Uint8Array(count));
    const empty = await labels.importSeg('/data/other.dcm');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error.message).toBe('/data/other.dcm places no voxels on this series (none of its frames matches a slice). Nothing was imported.');
    app.segAnswer = err('bad-request', '/data/ct.dcm is not a DICOM Segmentation (SOP class 1.2.840.10008.5.1.4.1.1.2).');
    expect(await labels.importSeg('/data/ct.dcm')).toEqual(app.segAnswer);
    expect(labels.canUndo).toBe(false);
  });
});
