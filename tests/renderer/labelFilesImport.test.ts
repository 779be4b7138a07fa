/**
 * The document side of label file imports (merge into the accepted layer as
 * one undo step, segment merging, messages) and the typed-path helpers.
 */
import { describe, expect, it } from 'vitest';
import { runsFromLayer } from '../../src-main/shared/labels/labelRuns';
import { folderOf, joinPath, labelFileKindOf } from '../../src-renderer/components/labelFilePaths';
import { LabelDocument } from '../../src-renderer/labels/labelDocument';
import { describeImport, mergeImportedSegments } from '../../src-renderer/labels/labelFileImport';
import { axialGrid, makeSegment } from './labels/labelFixtures';

describe('LabelDocument.mergeIntoAccepted', () => {
  it('writes the runs and the segments as one step, undone and redone together', () => {
    const grid = axialGrid([8, 6, 4]);
    const doc = LabelDocument.create(grid, { segments: [makeSegment(1)], strokes: runsFromLayer(new Uint8Array(192)), accepted: runsFromLayer(new Uint8Array(192)) });
    const volume = new Uint8Array(192);
    volume.fill(2, 10, 14);
    const change = doc.mergeIntoAccepted(runsFromLayer(volume), [makeSegment(1), makeSegment(2, { name: 'Spleen' })]);
    expect([...doc.accepted.subarray(9, 15)]).toEqual([0, 2, 2, 2, 2, 0]);
    expect(doc.segments.map((segment) => segment.label)).toEqual([1, 2]);
    expect(change.segmentsChanged).toBe(true);
    expect(doc.hasUnsentChanges).toBe(true);
    expect(doc.takeSegmentChanges()?.map((segment) => segment.name)).toEqual(['Segment 1', 'Spleen']);
    expect(doc.takeLayerChanges().map((layerChange) => layerChange.layer)).toEqual(['accepted']);
    doc.undo();
    expect(doc.accepted.some((value) => value !== 0)).toBe(false);
    expect(doc.segments.map((segment) => segment.label)).toEqual([1]);
    doc.redo();
    expect(doc.accepted[13]).toBe(2);
    expect(doc.segments.map((segment) => segment.label)).toEqual([1, 2]);
  });

  it('refuses voxels of a label without a segment and changes nothing', () => {
    const doc = LabelDocument.create(axialGrid([8, 6, 4]));
    const volume = new Uint8Array(192);
    volume.fill(5, 0, 3);
    expect(() => doc.mergeIntoAccepted(runsFromLayer(volume), [makeSegment(1)])).toThrow('Label 5 has no segment in the list to merge.');
    expect(doc.accepted.some((value) => value !== 0)).toBe(false);
    expect(doc.segments).toEqual([]);
    expect(doc.canUndo).toBe(false);
  });
});

describe('label file import helpers', () => {
  it('adds the segments the document lacks and refuses a label now used by another segment', () => {
    const merged = mergeImportedSegments([makeSegment(1, { name: 'Liver' })], [makeSegment(1, { name: 'Liver' }), makeSegment(3, { name: 'Node' })]);
    expect(merged.map((segment) => `${segment.label}:${segment.name}`)).toEqual(['1:Liver', '3:Node']);
    expect(() => mergeImportedSegments([makeSegment(1, { name: 'Kidney' })], [makeSegment(1, { name: 'Liver' })])).toThrow(/changed while the file was read \(label 1 is now "Kidney", not "Liver"\)/);
  });

  it('describes an import in one sentence, overlaps included', () => {
    expect(describeImport({ voxels: 1, addedSegments: [] }, '/a.nii')).toBe('Imported /a.nii: 1 voxel into the accepted masks.');
    expect(describeImport({ voxels: 9, addedSegments: ['A', 'B'], framesByReference: 2, framesByPosition: 1, overlappingVoxels: 4 }, '/s.dcm')).toBe(
      'Imported /s.dcm: 9 voxels into the accepted masks. New segments: A, B. Frames placed by source reference: 2, by position only: 1. 4 voxels belonged to more than one segment; the later segment kept them.',
    );
  });

  it('reads typed paths of either separator', () => {
    expect(labelFileKindOf(' /x/Labels.NII.GZ ')).toBe('nifti');
    expect(labelFileKindOf('C:\\out\\seg.dcm')).toBe('seg');
    expect(labelFileKindOf('/x/IM0001')).toBeNull();
    expect(folderOf('/out/a/seg.dcm')).toBe('/out/a');
    expect(folderOf('/seg.dcm')).toBe('/');
    expect(folderOf('seg.dcm')).toBe('');
    expect(folderOf('C:\\out\\seg.dcm')).toBe('C:\\out');
    expect(joinPath('C:\\out', 'a.nii')).toBe('C:\\out\\a.nii');
    expect(joinPath('/out/', 'a.nii')).toBe('/out/a.nii');
    expect(joinPath('/out', '')).toBe('/out/');
  });
});
