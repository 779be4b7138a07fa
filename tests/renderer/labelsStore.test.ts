import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeriesId } from '../../src-main/shared/contract/series';
import type { LabelDocument } from '../../src-renderer/labels/labelDocument';
import { useConnectionStore } from '../../src-renderer/stores/connection';
import { useLabelsStore } from '../../src-renderer/stores/labels';
import { useSegmentsStore } from '../../src-renderer/stores/segments';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { FakeLabelsApp } from './labels/fakeLabelsApp';
import { makeSegment, paintVoxel, sameBytes, voxelCentre } from './labels/labelFixtures';
import { axialGeometry, makeSeries } from './support/fakeApp';

const dims: [number, number, number] = [24, 20, 10];
const geometry = axialGeometry(dims);
const seriesA = 'series-a' as SeriesId;
const seriesB = 'series-b' as SeriesId;

let app: FakeLabelsApp;

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  app = new FakeLabelsApp();
  useConnectionStore().attach(app.connection);
  useSeriesStore().replaceAll([makeSeries({ seriesId: seriesA, geometry }), makeSeries({ seriesId: seriesB, geometry })]);
});

afterEach(() => vi.useRealTimers());

/** Selects a series without opening the viewer (the labels store only watches the selection). */
async function openSeries(id: SeriesId): Promise<ReturnType<typeof useLabelsStore>> {
  const labels = useLabelsStore();
  useSeriesStore().selectedId = id;
  await vi.advanceTimersByTimeAsync(0);
  return labels;
}


describe('labels store', () => {
  it('loads the stored labels and segments when a series is selected', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1, { name: 'Liver' })]);
    stored.strokes.fill(1, 50, 60);
    stored.revision = 7;
    const labels = await openSeries(seriesA);
    expect(labels.loadState).toBe('loaded');
    expect(labels.revision).toBe(7);
    expect(labels.document?.display[55]).toBe(1);
    expect(useSegmentsStore().segments.map((segment) => segment.name)).toEqual(['Liver']);
    expect(labels.saveState).toBe('saved');
  });

  it('sends a stroke at pen-up (never mid-stroke), other edits ~300 ms after the last one, chained on the acknowledged revision', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries(seriesA);
    const doc = labels.document as LabelDocument;
    doc.beginStroke({ tool: 'brush', label: 1, radiusMm: 1.5, planeNormal: [0, 0, 1], lockedLabels: new Set() });
    doc.strokeTo(voxelCentre(doc.grid, 5, 5, 2));
    await vi.advanceTimersByTimeAsync(1000);
    doc.strokeTo(voxelCentre(doc.grid, 8, 5, 2));
    await vi.advanceTimersByTimeAsync(1000);
    expect(labels.saveState).toBe('pending');
    expect(app.applies).toHaveLength(0);
    doc.endStroke();
    await vi.advanceTimersByTimeAsync(0);
    expect(app.applies).toHaveLength(1);
    expect(app.applies[0]?.baseRevision).toBe(0);
    paintVoxel(doc, 12, 9, 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(app.applies.map((call) => call.baseRevision)).toEqual([0, 1]);
    expect(sameBytes(stored.strokes, doc.strokes)).toBe(true);
    expect(labels.revision).toBe(2);
    expect(labels.saveState).toBe('saved');
    expect(labels.canUndo).toBe(true);
    labels.undo();
    await vi.advanceTimersByTimeAsync(250);
    expect(app.applies).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(app.applies).toHaveLength(3);
    expect(sameBytes(stored.strokes, doc.strokes)).toBe(true);
    expect(labels.canRedo).toBe(true);
  });

  it('sends segment list changes, and a segment delete (with its voxels) can be undone', async () => {
    const stored = app.addSeries(seriesA, dims);
    const labels = await openSeries(seriesA);
    const segments = useSegmentsStore();
    const added = segments.add('Kidney');
    if (!added.ok) throw new Error(added.error.message);
    paintVoxel(labels.document as LabelDocument, 6, 6, 4);
    await vi.advanceTimersByTimeAsync(400);
    expect(stored.segments.map((segment) => segment.name)).toEqual(['Kidney']);
    expect(stored.segments[0]?.category.value).toBe('85756007');
    expect(segments.remove(added.value.id).ok).toBe(true);
    await vi.advanceTimersByTimeAsync(400);
    expect(stored.segments).toEqual([]);
    expect(stored.strokes.some((value) => value !== 0)).toBe(false);
    labels.undo();
    await vi.advanceTimersByTimeAsync(400);
    expect(stored.segments.map((segment) => segment.name)).toEqual(['Kidney']);
    expect(segments.segments.map((segment) => segment.name)).toEqual(['Kidney']);
    expect(sameBytes(stored.strokes, (labels.document as LabelDocument).strokes)).toBe(true);
    expect(stored.strokes.some((value) => value === 1)).toBe(true);
  });

  it('on a conflict reloads, keeps both the other edit and its own, tells the user, and resends', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1), makeSegment(2)]);
    const labels = await openSeries(seriesA);
    // Another window writes label 2 meanwhile.
    stored.accepted.fill(2, 1000, 1010);
    stored.revision = 5;
    paintVoxel(labels.document as LabelDocument, 4, 4, 1);
    await vi.advanceTimersByTimeAsync(400);
    const doc = labels.document as LabelDocument;
    expect(app.applies.map((call) => call.baseRevision)).toEqual([0, 5]);
    expect(doc.display[1005]).toBe(2);
    expect(doc.strokes[4 + 24 * 4 + 480]).toBe(1);
    expect(sameBytes(stored.strokes, doc.strokes) && sameBytes(stored.accepted, doc.accepted)).toBe(true);
    expect(labels.notice).toMatch(/changed elsewhere/);
    expect(labels.revision).toBe(6);
  });

  it('keeps edits while offline and sends them after reconnection', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries(seriesA);
    app.setOnline(false);
    paintVoxel(labels.document as LabelDocument, 8, 8, 5);
    await vi.advanceTimersByTimeAsync(400);
    expect(app.applies).toHaveLength(0);
    expect(labels.saveState).toBe('unsaved-offline');
    expect(labels.saveMessage).toMatch(/kept here/);
    paintVoxel(labels.document as LabelDocument, 10, 8, 5);
    await vi.advanceTimersByTimeAsync(400);
    app.setOnline(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(app.applies.length).toBeGreaterThan(0);
    expect(sameBytes(stored.strokes, (labels.document as LabelDocument).strokes)).toBe(true);
    expect(labels.saveState).toBe('saved');
  });

  it('shows a failed save from the app with its message', async () => {
    app.addSeries(seriesA, dims, [makeSegment(1)]);
    const labels = await openSeries(seriesA);
    app.publishSave(seriesA, { state: 'failed', message: 'Could not write labels/series-a.bin: the disk is full.' });
    expect(labels.saveState).toBe('failed');
    expect(labels.saveMessage).toContain('disk is full');
  });

  it('flushes the edits of a series before another opens', async () => {
    const stored = app.addSeries(seriesA, dims, [makeSegment(1)]);
    app.addSeries(seriesB, dims);
    const labels = await openSeries(seriesA);
    const docA = labels.document as LabelDocument;
    paintVoxel(docA, 3, 3, 3);
    await openSeries(seriesB);
    expect(app.applies.map((call) => call.seriesId)).toEqual([seriesA]);
    expect(app.flushes).toEqual([seriesA]);
    expect(sameBytes(stored.strokes, docA.strokes)).toBe(true);
    expect(labels.seriesId).toBe(seriesB);
    expect(useSegmentsStore().segments).toEqual([]);
  });

  it('confirms an accept with what it took, in the viewer’s slice numbers', async () => {
    app.addSeries(seriesA, dims, [makeSegment(1, { name: 'Brain' })]);
    const labels = await openSeries(seriesA);
    const doc = labels.document;
    if (doc == null) throw new Error('no document');
    const prediction = new Uint8Array(doc.display.length);
    prediction.fill(1, 24 * 20 * 2, 24 * 20 * 2 + 30); // 30 voxels in k = 2
    prediction.fill(1, 24 * 20 * 7, 24 * 20 * 7 + 10); // 10 voxels in k = 7
    doc.setPrediction(prediction);
    expect(labels.acceptPrediction({ kind: 'slice', axis: 2, index: 2 })).toBe('Accepted the prediction in axial slice 8 of 10: 30 voxels. Undo (Ctrl+Z) takes it back.');
    expect(labels.acceptPrediction({ kind: 'volume' })).toBe('Accepted the whole predicted volume: 10 voxels in 1 slice. Undo (Ctrl+Z) takes it back.');
    expect(labels.acceptPrediction({ kind: 'volume' })).toMatch(/^Nothing to accept there/);
  });

  it('says why a series cannot be labelled', async () => {
    const labels = await openSeries(seriesA);
    expect(labels.loadState).toBe('failed');
    expect(labels.loadError).toMatch(/could not be loaded/);
  });
});
