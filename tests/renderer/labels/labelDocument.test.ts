import { describe, expect, it } from 'vitest';
import { applyRuns, decodeRuns, runsToBytes, runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { LabelDocument, type StrokeOptions } from '../../../src-renderer/labels/labelDocument';
import { LabelEditError } from '../../../src-renderer/labels/labelEditError';
import type { LabelGrid } from '../../../src-renderer/labels/labelGrid';
import type { Vec3 } from '../../../src-main/shared/geometry/vec3';
import { axialGrid, makeSegment, referenceStrokeVoxels, voxelCentre } from './labelFixtures';

const axial: Vec3 = [0, 0, 1];

function openDocument(grid: LabelGrid = axialGrid(), labels: number[] = [1, 2]): LabelDocument {
  const doc = LabelDocument.create(grid);
  doc.setSegments(labels.map((label) => makeSegment(label)));
  doc.takeSegmentChanges();
  return doc;
}

function stroke(doc: LabelDocument, points: Vec3[], options: Partial<StrokeOptions> = {}): void {
  doc.beginStroke({ tool: 'brush', label: 1, radiusMm: 2.2, planeNormal: axial, lockedLabels: new Set(), ...options });
  for (const point of points) doc.strokeTo(point);
  doc.endStroke();
}

const at = (doc: LabelDocument, i: number, j: number, k: number): number => i + doc.grid.dimensions[0] * (j + doc.grid.dimensions[1] * k);

describe('LabelDocument strokes', () => {
  it('paints the brush footprint into strokes and display, and reports the changed voxels and slices', () => {
    const doc = openDocument();
    const from = voxelCentre(doc.grid, 10, 10, 7);
    const to = voxelCentre(doc.grid, 25, 14, 7);
    const seen: number[] = [];
    doc.onChange((change) => seen.push(...change.changed));
    doc.beginStroke({ tool: 'brush', label: 2, radiusMm: 2.2, planeNormal: axial, lockedLabels: new Set() });
    doc.strokeTo(from);
    const change = doc.strokeTo(to);
    expect(change.kSlices).toEqual([7]);
    const union = doc.endStroke();
    const expected = [...new Set([...referenceStrokeVoxels(doc.grid, from, from, 2.2, axial), ...referenceStrokeVoxels(doc.grid, from, to, 2.2, axial)])].sort((a, b) => a - b);
    expect([...(union?.changed ?? [])]).toEqual(expected);
    expect([...seen].sort((a, b) => a - b)).toEqual(expected);
    for (const v of expected) expect([doc.strokes[v], doc.display[v]]).toEqual([2, 2]);
    expect(doc.voxelCounts().get(2)).toEqual({ strokes: expected.length, accepted: 0 });
  });

  it('background strokes write 255 over accepted labels and show as background', () => {
    const doc = openDocument();
    const v = at(doc, 12, 12, 4);
    doc.setPrediction(filled(doc, 1));
    doc.acceptPrediction({ kind: 'volume' });
    stroke(doc, [voxelCentre(doc.grid, 12, 12, 4)], { tool: 'background', label: 255 });
    expect([doc.strokes[v], doc.accepted[v], doc.display[v]]).toEqual([255, 1, 255]);
  });

  it('the eraser clears strokes and marks accepted or predicted voxels erased, leaving empty ones alone', () => {
    const doc = openDocument();
    const centre = voxelCentre(doc.grid, 20, 20, 5);
    stroke(doc, [centre], { radiusMm: 4 });
    const prediction = new Uint8Array(doc.prediction.length);
    prediction[at(doc, 21, 20, 5)] = 2;
    doc.setPrediction(prediction);
    stroke(doc, [centre], { tool: 'eraser', label: 0, radiusMm: 1 });
    expect([doc.strokes[at(doc, 20, 20, 5)], doc.accepted[at(doc, 20, 20, 5)]]).toEqual([0, 0]);
    expect([doc.strokes[at(doc, 21, 20, 5)], doc.accepted[at(doc, 21, 20, 5)], doc.display[at(doc, 21, 20, 5)]]).toEqual([0, 255, 0]);
    expect(doc.strokes[at(doc, 24, 20, 5)]).toBe(1);
  });

  it('never changes voxels of a locked segment, and refuses to paint a locked label', () => {
    const doc = openDocument();
    stroke(doc, [voxelCentre(doc.grid, 15, 15, 3)], { label: 2, radiusMm: 3 });
    const before = doc.strokes.slice();
    stroke(doc, [voxelCentre(doc.grid, 15, 15, 3)], { label: 1, radiusMm: 5, lockedLabels: new Set([2]) });
    stroke(doc, [voxelCentre(doc.grid, 15, 15, 3)], { tool: 'eraser', label: 0, radiusMm: 5, lockedLabels: new Set([2]) });
    for (let v = 0; v < before.length; v++) if (before[v] === 2) expect(doc.strokes[v]).toBe(2);
    // The lock in the segment list applies even when the caller forgets it.
    doc.setSegments(doc.segments.map((segment) => (segment.label === 2 ? { ...segment, locked: true } : segment)));
    stroke(doc, [voxelCentre(doc.grid, 15, 15, 3)], { tool: 'eraser', label: 0, radiusMm: 5 });
    for (let v = 0; v < before.length; v++) if (before[v] === 2) expect(doc.strokes[v]).toBe(2);
    expect(() => doc.beginStroke({ tool: 'brush', label: 2, radiusMm: 2, planeNormal: axial, lockedLabels: new Set() })).toThrow(/locked/);
    expect(() => doc.beginStroke({ tool: 'brush', label: 9, radiusMm: 2, planeNormal: axial, lockedLabels: new Set() })).toThrow(LabelEditError);
  });

  it('the threshold brush paints only voxels inside the intensity range', () => {
    const doc = openDocument();
    const intensity = new Int16Array(doc.strokes.length).map((_, v) => (v % 2 === 0 ? 40 : -500));
    stroke(doc, [voxelCentre(doc.grid, 20, 18, 9)], { radiusMm: 3, threshold: { low: -100, high: 200, intensity } });
    const painted = referenceStrokeVoxels(doc.grid, voxelCentre(doc.grid, 20, 18, 9), voxelCentre(doc.grid, 20, 18, 9), 3, axial);
    for (const v of painted) expect(doc.strokes[v]).toBe(v % 2 === 0 ? 1 : 0);
    expect(() => doc.beginStroke({ tool: 'brush', label: 1, radiusMm: 2, planeNormal: axial, lockedLabels: new Set(), threshold: { low: 1, high: 0, intensity } })).toThrow(/empty/);
  });
});

describe('LabelDocument fill', () => {
  function ring(doc: LabelDocument, k: number, gap: boolean): void {
    for (let i = 8; i <= 20; i++) {
      for (let j = 8; j <= 20; j++) {
        const edge = i === 8 || i === 20 || j === 8 || j === 20;
        if (edge && !(gap && i === 20 && j === 14)) doc.strokes[at(doc, i, j, k)] = 1;
      }
    }
    doc.display.set(doc.strokes);
  }

  it('fills the inside of a closed contour in the slice of the view plane, as one undo step', () => {
    const doc = openDocument();
    ring(doc, 6, false);
    const change = doc.fillContour(voxelCentre(doc.grid, 14, 14, 6), axial, 1, new Set());
    expect(change?.changed.length).toBe(11 * 11);
    expect(change?.kSlices).toEqual([6]);
    expect(doc.strokes[at(doc, 9, 9, 6)]).toBe(1);
    expect(doc.strokes[at(doc, 14, 14, 5)]).toBe(0);
    expect(doc.strokes[at(doc, 21, 14, 6)]).toBe(0);
    doc.undo();
    expect(doc.strokes[at(doc, 14, 14, 6)]).toBe(0);
  });

  it('refuses a contour that leaks to the slice border and changes nothing', () => {
    const doc = openDocument();
    ring(doc, 6, true);
    const before = doc.strokes.slice();
    expect(() => doc.fillContour(voxelCentre(doc.grid, 14, 14, 6), axial, 1, new Set())).toThrow(/not closed/);
    expect(sameBytes(doc.strokes, before)).toBe(true);
    expect(() => doc.fillContour(voxelCentre(doc.grid, 8, 14, 6), axial, 1, new Set())).toThrow(/inside the contour/);
  });
});

/** Byte equality without vitest's slow element-by-element diff. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let v = 0; v < a.length; v++) if (a[v] !== b[v]) return false;
  return true;
}

function filled(doc: LabelDocument, value: number): Uint8Array {
  return new Uint8Array(doc.strokes.length).fill(value);
}

describe('LabelDocument accept', () => {
  it('copies the prediction into accepted but never over strokes, erased voxels, locked or unknown labels', () => {
    const doc = openDocument(axialGrid(), [1, 2, 3]);
    const stroked = at(doc, 5, 5, 2);
    const erased = at(doc, 6, 5, 2);
    const lockedVoxel = at(doc, 7, 5, 2);
    doc.strokes[stroked] = 2;
    doc.display[stroked] = 2;
    doc.accepted[erased] = 255;
    doc.accepted[lockedVoxel] = 3;
    doc.setSegments(doc.segments.map((segment) => (segment.label === 3 ? { ...segment, locked: true } : segment)));
    const prediction = filled(doc, 1);
    prediction[at(doc, 8, 5, 2)] = 7; // no segment 7
    doc.setPrediction(prediction);
    const change = doc.acceptPrediction({ kind: 'volume' });
    expect(change).not.toBeNull();
    expect(doc.accepted[stroked]).toBe(0);
    expect(doc.accepted[erased]).toBe(255);
    expect(doc.accepted[lockedVoxel]).toBe(3);
    expect(doc.accepted[at(doc, 8, 5, 2)]).toBe(0);
    expect(doc.accepted[at(doc, 9, 5, 2)]).toBe(1);
    expect(doc.display[stroked]).toBe(2);
    expect(doc.acceptPrediction({ kind: 'volume' })).toBeNull();
  });

  it('accepts one slice along any axis, or one segment, and only slices the model predicted', () => {
    const doc = openDocument();
    const plane = 40 * 36;
    const slices = new Uint8Array(2 * plane).fill(2);
    doc.setPrediction(slices, [3, 4]);
    expect(doc.hasPrediction).toBe(true);
    doc.acceptPrediction({ kind: 'slice', axis: 0, index: 11 });
    expect(doc.voxelCounts().get(2)?.accepted).toBe(2 * 36);
    doc.acceptPrediction({ kind: 'slice', axis: 2, index: 3 });
    expect(doc.voxelCounts().get(2)?.accepted).toBe(plane + 36);
    doc.acceptPrediction({ kind: 'segment', label: 2 });
    expect(doc.voxelCounts().get(2)?.accepted).toBe(2 * plane);
    expect(doc.accepted[at(doc, 0, 0, 5)]).toBe(0);
    expect(() => doc.acceptPrediction({ kind: 'slice', axis: 1, index: 99 })).toThrow(RangeError);
  });

  it('refuses to accept before any prediction exists', () => {
    expect(() => openDocument().acceptPrediction({ kind: 'volume' })).toThrow(/no prediction/);
  });
});

describe('LabelDocument undo and redo', () => {
  it('undoes and redoes strokes, erasing, accepting and deleting a segment with its voxels', () => {
    const doc = openDocument();
    const snapshots: Array<[Uint8Array, Uint8Array, Uint8Array]> = [];
    const snap = (): void => void snapshots.push([doc.strokes.slice(), doc.accepted.slice(), doc.display.slice()]);
    snap();
    stroke(doc, [voxelCentre(doc.grid, 10, 10, 4), voxelCentre(doc.grid, 20, 12, 4)], { label: 2 });
    snap();
    doc.setPrediction(filled(doc, 1));
    doc.acceptPrediction({ kind: 'slice', axis: 2, index: 4 });
    snap();
    stroke(doc, [voxelCentre(doc.grid, 15, 11, 4)], { tool: 'eraser', label: 0, radiusMm: 4 });
    snap();
    doc.deleteSegment(1);
    snap();
    expect(doc.segments.map((segment) => segment.label)).toEqual([2]);
    const matches = (step: number): boolean => {
      const [strokes, accepted, display] = snapshots[step] as [Uint8Array, Uint8Array, Uint8Array];
      return sameBytes(doc.strokes, strokes) && sameBytes(doc.accepted, accepted) && sameBytes(doc.display, display);
    };
    for (let step = snapshots.length - 2; step >= 0; step--) {
      expect(doc.undo()).not.toBeNull();
      expect(matches(step)).toBe(true);
    }
    expect(doc.segments.map((segment) => segment.label)).toEqual([1, 2]);
    expect(doc.undo()).toBeNull();
    for (let step = 1; step < snapshots.length; step++) {
      doc.redo();
      expect(matches(step)).toBe(true);
    }
    expect(doc.canRedo).toBe(false);
  });

  it('keeps at least 100 steps (default 200), and a new edit drops the redo steps', () => {
    const doc = openDocument(axialGrid([64, 64, 8]));
    for (let n = 0; n < 150; n++) stroke(doc, [voxelCentre(doc.grid, 2 + (n % 60), 2 + Math.floor(n / 60) * 3, 1)], { radiusMm: 0.5 });
    expect(doc.historySize.steps).toBe(150);
    let undone = 0;
    while (doc.undo() !== null) undone++;
    expect(undone).toBe(150);
    expect(doc.strokes.every((value) => value === 0)).toBe(true);
    doc.redo();
    stroke(doc, [voxelCentre(doc.grid, 30, 30, 3)]);
    expect(doc.canRedo).toBe(false);
  });

  it('bounds the history by steps and by bytes, dropping the oldest, with memory proportional to the change', () => {
    const doc = LabelDocument.create(axialGrid([64, 64, 8]), undefined, { history: { maxSteps: 120, maxBytes: 40_000 } });
    doc.setSegments([makeSegment(1)]);
    for (let n = 0; n < 300; n++) {
      stroke(doc, [voxelCentre(doc.grid, 2 + (n % 60), 2 + (Math.floor(n / 60) % 20) * 3, n % 8)], { radiusMm: 0.5 });
      expect(doc.historySize.bytes).toBeLessThanOrEqual(40_000);
      expect(doc.historySize.steps).toBeLessThanOrEqual(120);
    }
    // A one-voxel stroke costs tens of bytes, not the 32 KB volume.
    expect(doc.historySize.bytes / doc.historySize.steps).toBeLessThan(200);
    expect(doc.historySize.steps).toBe(120);
    const small = LabelDocument.create(axialGrid([64, 64, 8]), undefined, { history: { maxBytes: 2_000 } });
    small.setSegments([makeSegment(1)]);
    for (let n = 0; n < 50; n++) stroke(small, [voxelCentre(small.grid, 10 + n, 10, 2)], { radiusMm: 0.5 });
    expect(small.historySize.bytes).toBeLessThanOrEqual(2_000);
    expect(small.historySize.steps).toBeLessThan(50);
  });

  it('undoes segment list edits but keeps visibility and lock as the user left them', () => {
    const doc = openDocument(axialGrid(), [1]);
    doc.setSegments([makeSegment(1, { name: 'Liver' })], { undoable: true });
    doc.setSegments([makeSegment(1, { name: 'Liver', visible: false })]);
    doc.undo();
    expect(doc.segments[0]).toMatchObject({ name: 'Segment 1', visible: false });
  });
});

describe('LabelDocument changes for the app', () => {
  it('takeLayerChanges round-trips through label runs into an independent copy equal to the document', () => {
    const doc = openDocument();
    const mirror = { strokes: new Uint8Array(doc.strokes.length), accepted: new Uint8Array(doc.strokes.length) };
    const sync = (): void => {
      for (const change of doc.takeLayerChanges()) applyRuns(mirror[change.layer], decodeRuns(change.runs, doc.strokes.length));
    };
    stroke(doc, [voxelCentre(doc.grid, 5, 5, 1), voxelCentre(doc.grid, 30, 20, 1)], { label: 2 });
    sync();
    doc.setPrediction(filled(doc, 1));
    doc.acceptPrediction({ kind: 'slice', axis: 2, index: 1 });
    stroke(doc, [voxelCentre(doc.grid, 12, 8, 1)], { tool: 'eraser', label: 0, radiusMm: 3 });
    stroke(doc, [voxelCentre(doc.grid, 20, 30, 2)], { tool: 'background', label: 255 });
    sync();
    doc.undo();
    doc.undo();
    sync();
    doc.deleteSegment(2);
    sync();
    expect(sameBytes(mirror.strokes, doc.strokes)).toBe(true);
    expect(sameBytes(mirror.accepted, doc.accepted)).toBe(true);
    expect(doc.voxelCounts().get(1)?.accepted).toBeGreaterThan(0);
    expect(doc.takeLayerChanges()).toEqual([]);
    expect(doc.hasUnsentChanges).toBe(true); // the segment list changed
    expect(doc.takeSegmentChanges()?.map((segment) => segment.label)).toEqual([1]);
    expect(doc.hasUnsentChanges).toBe(false);
  });

  it('loads stored runs into the layers and the display', () => {
    const grid = axialGrid();
    const strokes = new Uint8Array(40 * 36 * 24);
    const accepted = new Uint8Array(strokes.length);
    strokes.fill(1, 100, 140);
    accepted.fill(2, 120, 200);
    accepted.fill(255, 300, 310);
    const doc = LabelDocument.create(grid, { segments: [makeSegment(1), makeSegment(2)], strokes: runsFromLayer(strokes), accepted: decodeRuns(runsToBytes(runsFromLayer(accepted)), strokes.length) });
    expect(sameBytes(doc.strokes, strokes)).toBe(true);
    expect([doc.display[130], doc.display[150], doc.display[305], doc.display[99]]).toEqual([1, 2, 0, 0]);
    expect(doc.takeLayerChanges()).toEqual([]);
  });
});
