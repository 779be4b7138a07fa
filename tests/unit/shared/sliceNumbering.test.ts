/**
 * One slice numbering: the number the viewer's overlay shows for a grid
 * slice k. The viewer (cornerstone's MPR cameras) numbers an axial view from
 * the top of the head down, while the grid sorts slices along the series'
 * normal, feet to head: on a 181-slice T1 the overlay said "132 / 181" for
 * what the training panel called "slice 50".
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportService } from '../../../src-main/importing/importService';
import { describeSlice, planeOfAxis, viewerSliceNumber, type SliceGeometry } from '../../../src-main/shared/sliceNumbering';
import { daikonVolume, tempDir } from '../dicom/helpers/testData';

type Direction = SliceGeometry['direction'];
const axialDirection: Direction = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const t1: SliceGeometry = { dimensions: [217, 181, 181], direction: axialDirection };

/** The index cornerstone's volume viewport reports for a slice at `offset` (mm) along the view normal from the lowest one, `count` slices `spacing` apart. */
function cornerstoneIndex(offsetAlongViewNormal: number, count: number, spacing: number): number {
  const range = (count - 1) * spacing;
  return Math.min(count - 1, Math.max(0, Math.floor((offsetAlongViewNormal / range) * count)));
}

describe('viewerSliceNumber', () => {
  it('numbers an axial series as the axial viewport does (top of the head is 1)', () => {
    expect(viewerSliceNumber(t1, 49)).toEqual({ number: 132, count: 181, plane: 'axial' });
    expect(describeSlice(t1, 49)).toBe('slice 132 of 181');
    expect(viewerSliceNumber(t1, 90).number).toBe(91); // they agree only at the middle
    // Cornerstone's axial normal is -z: grid slice k lies (180 - k) * spacing from its first slice.
    for (const k of [0, 1, 49, 90, 179, 180]) expect(viewerSliceNumber(t1, k).number).toBe(cornerstoneIndex((180 - k) * 1.2, 181, 1.2) + 1);
  });

  it('numbers sagittal and coronal series along their own planes', () => {
    const sagittal: SliceGeometry = { dimensions: [256, 256, 160], direction: [[0, 1, 0], [0, 0, -1], [1, 0, 0]] };
    expect(viewerSliceNumber(sagittal, 0)).toEqual({ number: 1, count: 160, plane: 'sagittal' });
    const coronal: SliceGeometry = { dimensions: [256, 256, 40], direction: [[1, 0, 0], [0, 0, -1], [0, -1, 0]] };
    expect(viewerSliceNumber(coronal, 0)).toEqual({ number: 1, count: 40, plane: 'coronal' });
    // In-plane axes of an axial series are the sagittal (columns) and coronal (rows) views.
    expect(planeOfAxis(t1, 0)).toBe('sagittal');
    expect(viewerSliceNumber(t1, 10, 1)).toEqual({ number: 171, count: 181, plane: 'coronal' });
  });
});

describe('on the real oblique series', () => {
  const temp = tempDir('slice-numbering');
  afterAll(() => temp.cleanup());

  it('counts its 20 slices, not the viewer’s oblique sampling of them', async () => {
    const service = await createImportService({ workspaceDir: path.join(temp.dir, 'ws') });
    await service.importPaths([daikonVolume], { thumbnails: false });
    const geometry = service.listSeries()[0]?.geometry;
    if (geometry == null) throw new Error('no geometry');
    expect(viewerSliceNumber(geometry, 9)).toEqual({ number: 11, count: 20, plane: 'axial' });
  });
});
