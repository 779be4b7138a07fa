/**
 * Reading DICOM-SEG back onto a source series, and the refusals: an invalid
 * SEG from another tool, a file that is no SEG, a SEG of another series or
 * frame of reference, and a SEG that contradicts itself (mirrored in z).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeg, type ReadSeg } from '../../../../src-main/dicom/seg/segReader';
import { segToGrid } from '../../../../src-main/dicom/seg/segToGrid';
import { buildSeg, SegExportError, writeSeg } from '../../../../src-main/dicom/seg/segWriter';
import { readSegSource, SegSourceError } from '../../../../src-main/dicom/seg/segSource';
import { pydicomFile, tempDir } from '../helpers/testData';
import { pydicomDecodeSeg } from './helpers/segChecks';
import { importCase, paintBox, segmentOf, writeAxial, writeReversed, type SegCase } from './helpers/segCases';

const temp = tempDir('segimport');
afterAll(() => temp.cleanup());

let axial: SegCase;
let reversed: SegCase;
let volume: Uint8Array;
let segFile: string;

beforeAll(async () => {
  await writeAxial(path.join(temp.dir, 'axial'));
  await writeReversed(path.join(temp.dir, 'reversed'));
  axial = await importCase(path.join(temp.dir, 'axial'));
  reversed = await importCase(path.join(temp.dir, 'reversed'));
  const dims = axial.entry.summary.geometry?.dimensions ?? [0, 0, 0];
  volume = new Uint8Array(dims[0] * dims[1] * dims[2]);
  paintBox(volume, dims, [0, 2, 0, 3, 0, 2], 4); // only the two lowest slices: a z-mirror moves it
  segFile = path.join(temp.dir, 'axial.seg.dcm');
  await writeSeg(segFile, { source: axial.source, segments: [{ segment: segmentOf(4, 'Liver', '#aa0000'), volume, algorithm: { type: 'MANUAL' } }], seriesDescription: 'x', seriesNumber: 1, contentCreator: '', softwareVersion: 't' });
});

const request = (labels: Uint8Array, label = 4) => ({
  source: axial.source,
  segments: [{ segment: segmentOf(label, 'Liver', '#aa0000'), volume: labels, algorithm: { type: 'MANUAL' } as const }],
  seriesDescription: 'x',
  seriesNumber: 1,
  contentCreator: '',
  softwareVersion: 't',
});

/** The SEG's frames with their positions mirrored along the stack (what a z-flipped exporter writes). */
function mirrored(seg: ReadSeg, source: SegCase): ReadSeg {
  const positions = source.source.slices.map((slice) => slice.position);
  const mirror = (p: ReadSeg['frames'][number]['position']) => {
    const k = positions.findIndex((q) => q !== null && p !== null && q.every((v, i) => Math.abs(v - (p[i] ?? NaN)) < 1e-6));
    return positions[positions.length - 1 - k] ?? null;
  };
  return { ...seg, frames: seg.frames.map((frame) => ({ ...frame, position: mirror(frame.position) })) };
}

describe('reading a DICOM-SEG onto its source series', () => {
  it('refuses pydicom’s deliberately invalid liver_1frame.dcm with the reason', async () => {
    await expect(readSeg(pydicomFile('liver_1frame.dcm'))).rejects.toThrow(/liver_1frame\.dcm: NumberOfFrames is missing; the per-frame functional groups describe 3 frame\(s\) and the pixel data holds 1/);
  });

  it('refuses a file that is not a segmentation', async () => {
    await expect(readSeg(axial.files[0] ?? '')).rejects.toThrow(/is not a DICOM Segmentation \(SOP class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2\)/);
  });

  it('places frames by position alone when a SEG carries no references', async () => {
    const seg = await readSeg(segFile);
    const unreferenced = { ...seg, frames: seg.frames.map((frame) => ({ ...frame, referencedSopInstanceUid: null, referencedFrame: null })) };
    const grid = segToGrid(unreferenced, axial.source);
    expect(grid.placedByPosition).toBe(seg.frames.length);
    expect(grid.labels.every((v, i) => (v === 1) === (volume[i] === 4))).toBe(true);
    const relabelled = segToGrid(seg, axial.source, () => 9);
    expect(relabelled.labels.filter((v) => v === 9).length).toBe(volume.filter((v) => v === 4).length);
  });

  it('refuses a SEG whose frames contradict their references (mirrored in z)', async () => {
    const seg = await readSeg(segFile);
    expect(() => segToGrid(mirrored(seg, axial), axial.source)).toThrow(/references slice 1 of the series but lies at .* mm away from it: the segmentation contradicts itself/);
  });

  it('refuses a SEG of another series, another frame of reference, or another grid', async () => {
    const seg = await readSeg(segFile);
    expect(() => segToGrid(seg, reversed.source)).toThrow(/segments series .*\.301, not this series \(.*\.302\)/);
    expect(() => segToGrid({ ...seg, frameOfReferenceUid: '1.2.3.4' }, axial.source)).toThrow(/is in frame of reference 1\.2\.3\.4, this series in .*: it belongs to another acquisition/);
    expect(() => segToGrid({ ...seg, rows: 9 }, axial.source)).toThrow(/has frames of 7x9, the series' slices are 7x5: it was made on another grid/);
  });

  it('the pydicom decode catches a mirrored SEG (the checks can fail)', async () => {
    // Export the labels against a source whose slice list is mirrored: every frame then sits on the wrong slice.
    const flipped = { ...axial.source, slices: [...axial.source.slices].reverse() };
    const file = path.join(temp.dir, 'mirrored.seg.dcm');
    await writeSeg(file, { ...request(volume), source: flipped });
    const decoded = pydicomDecodeSeg(file, axial.entry.slices, [{ number: 1, volume, value: 4 }]);
    expect(decoded.segments[0]?.diceByUid).toBe(0);
    expect(decoded.segments[0]?.diceByPosition).toBe(0);
  });
});

describe('export refusals', () => {
  it('refuses nothing to export, no segment chosen, and labels of another grid', () => {
    expect(() => buildSeg(request(new Uint8Array(volume.length)))).toThrow(SegExportError);
    expect(() => buildSeg(request(new Uint8Array(volume.length)))).toThrow(/Nothing to export: the chosen segment\(s\) \(Liver\) have no voxels/);
    expect(() => buildSeg({ ...request(volume), segments: [] })).toThrow(/No segment was chosen for export/);
    expect(() => buildSeg(request(new Uint8Array(volume.length + 35)))).toThrow(/cover 245 voxels, the series grid 7x5x6 has 210: they belong to another grid/);
  });

  it('refuses sources changed since labelling (other SOP instance) and missing files', async () => {
    const entry = axial.entry;
    const geometry = entry.summary.geometry;
    if (geometry === null) throw new Error('no geometry');
    const wanted = axial.source.slices.map((slice) => slice.sopInstanceUid);
    wanted[2] = '1.2.3.999';
    await expect(readSegSource(entry.slices, { seriesInstanceUid: entry.summary.seriesInstanceUid, geometry, sopInstanceUids: wanted })).rejects.toThrow(
      /holds SOP instance .*, the labels were made on 1\.2\.3\.999: the file changed since it was labelled/,
    );
    const moved = entry.slices.map((slice) => slice.positionMm ?? 0).map((p, k) => (k === 1 ? p + 5 : p));
    await expect(readSegSource(entry.slices, { seriesInstanceUid: entry.summary.seriesInstanceUid, geometry, positionsMm: moved })).rejects.toThrow(/it was at .* mm when labelled: it changed/);
    rmSync(entry.slices[3]?.path ?? '');
    const missing = readSegSource(entry.slices, { seriesInstanceUid: entry.summary.seriesInstanceUid, geometry });
    await expect(missing).rejects.toThrow(SegSourceError);
    await expect(missing).rejects.toThrow(/1 of the 6 source file\(s\) are missing \(.*ax3\.dcm\): restore them or re-import the series/);
  });
});
