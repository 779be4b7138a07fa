/**
 * Reads a DICOM Segmentation (ours or another tool's): its segments, and per
 * frame the segment it belongs to, the source image it was derived from,
 * its plane position and its pixels. BINARY and FRACTIONAL (read as the
 * voxels at or above half the maximum) segmentations in native transfer
 * syntaxes; anything else, or an object that contradicts itself, is refused
 * with a message naming the file and the problem.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { TextDecoder } from 'node:util';
import dicomParser, { type DataSet } from 'dicom-parser';
import type { CodedConcept } from '../../shared/contract/labels';
import { describeParseError, inflateDataSet } from '../header/parseDicomHeader';
import { readNumbers, readText, readUint16, textDecoderFor } from '../header/dicomText';
import type { Vec3 } from '../../shared/geometry/vec3';
import { dicomLabToRgbHex } from './cielab';
import { segmentationStorage } from './segDataset';
import { unpackFrame } from './segFrames';

/** A segment as the file describes it. */
export interface ReadSegment {
  readonly segmentNumber: number;
  readonly name: string;
  /** `#rrggbb`, or null when the file recommends no colour. */
  readonly color: string | null;
  readonly category: CodedConcept | null;
  readonly type: CodedConcept | null;
  readonly algorithmType: string;
}

/** One frame: which segment, derived from which source image, where, and its 0/1 pixels. */
export interface ReadFrame {
  readonly segmentNumber: number;
  readonly referencedSopInstanceUid: string | null;
  /** 1-based frame of a multi-frame source, or null. */
  readonly referencedFrame: number | null;
  readonly position: Vec3 | null;
  readonly pixels: Uint8Array;
}

export interface ReadSeg {
  readonly file: string;
  readonly sopInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly referencedSeriesUids: string[];
  readonly rows: number;
  readonly columns: number;
  readonly orientation: readonly [Vec3, Vec3] | null;
  readonly segments: ReadSegment[];
  readonly frames: ReadFrame[];
}

/** The file is not a segmentation this reader can use; the message names the file and why. */
export class SegReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegReadError';
  }
}

const item = (set: DataSet | undefined, tagKey: string, index = 0): DataSet | undefined => set?.elements[tagKey]?.items?.[index]?.dataSet;
const items = (set: DataSet | undefined, tagKey: string): DataSet[] => (set?.elements[tagKey]?.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
const uid = (set: DataSet | undefined, tagKey: string): string => set?.string(tagKey)?.replace(/\0/g, '').trim() ?? '';

function vec3(values: readonly number[]): Vec3 | null {
  const [x, y, z] = values;
  return x === undefined || y === undefined || z === undefined ? null : [x, y, z];
}

function orientationIn(group: DataSet | undefined): [Vec3, Vec3] | null {
  const plane = item(group, 'x00209116');
  if (plane === undefined) return null;
  const values = readNumbers(plane, 'x00200037');
  const row = vec3(values.slice(0, 3));
  const column = vec3(values.slice(3, 6));
  return row === null || column === null ? null : [row, column];
}

function code(set: DataSet | undefined, decoder: TextDecoder): CodedConcept | null {
  if (set === undefined) return null;
  const value = readText(set, 'x00080100', decoder) || readText(set, 'x00080119', decoder);
  const scheme = readText(set, 'x00080102', decoder);
  const meaning = readText(set, 'x00080104', decoder);
  return value === '' ? null : { scheme, value, meaning };
}

function parse(file: string, bytes: Uint8Array): DataSet {
  try {
    return dicomParser.parseDicom(bytes, { inflater: inflateDataSet });
  } catch (thrown) {
    throw new SegReadError(`${path.basename(file)}: not readable as DICOM (${describeParseError(thrown)}).`);
  }
}

function readSegments(name: string, set: DataSet, decoder: TextDecoder): ReadSegment[] {
  const segments = items(set, 'x00620002').map((segment): ReadSegment => {
    const number = readUint16(segment, 'x00620004');
    if (number === null) throw new SegReadError(`${name}: a Segment Sequence item has no SegmentNumber.`);
    const lab = segment.elements.x0062000d;
    return {
      segmentNumber: number,
      name: readText(segment, 'x00620005', decoder) || `Segment ${number}`,
      color: lab === undefined || lab.length < 6 ? null : dicomLabToRgbHex([segment.uint16('x0062000d', 0) ?? 0, segment.uint16('x0062000d', 1) ?? 0, segment.uint16('x0062000d', 2) ?? 0]),
      category: code(item(segment, 'x00620003'), decoder),
      type: code(item(segment, 'x0062000f'), decoder),
      algorithmType: readText(segment, 'x00620008', decoder),
    };
  });
  if (segments.length === 0) throw new SegReadError(`${name}: the Segment Sequence is missing or empty.`);
  if (new Set(segments.map((s) => s.segmentNumber)).size !== segments.length) throw new SegReadError(`${name}: two segments share a SegmentNumber.`);
  return segments;
}

/** Reads and checks the segmentation in `file`. */
export async function readSeg(file: string): Promise<ReadSeg> {
  const name = path.basename(file);
  const bytes = new Uint8Array(await fsp.readFile(file));
  const set = parse(file, bytes);
  const decoder = textDecoderFor(set);
  const sopClass = uid(set, 'x00080016');
  if (sopClass !== segmentationStorage) throw new SegReadError(`${name} is not a DICOM Segmentation (SOP class ${sopClass || 'missing'}).`);
  const type = readText(set, 'x00620001', decoder);
  if (type !== 'BINARY' && type !== 'FRACTIONAL') throw new SegReadError(`${name}: segmentation type "${type}" is not BINARY or FRACTIONAL.`);
  const rows = readUint16(set, 'x00280010') ?? 0;
  const columns = readUint16(set, 'x00280011') ?? 0;
  const bits = readUint16(set, 'x00280100') ?? 0;
  if (rows === 0 || columns === 0) throw new SegReadError(`${name}: Rows or Columns missing.`);
  if ((type === 'BINARY' && bits !== 1) || (type === 'FRACTIONAL' && bits !== 8)) throw new SegReadError(`${name}: a ${type} segmentation with ${bits} bits allocated.`);
  const segments = readSegments(name, set, decoder);
  const perFrame = items(set, 'x52009230');
  const frameCountText = readText(set, 'x00280008', decoder);
  const plane = rows * columns;
  const pixelElement = set.elements.x7fe00010;
  if (pixelElement === undefined) throw new SegReadError(`${name}: no pixel data.`);
  if (pixelElement.encapsulatedPixelData === true) throw new SegReadError(`${name}: compressed pixel data is not supported; convert it first (e.g. gdcmconv --raw).`);
  const pixelData = bytes.subarray(pixelElement.dataOffset, pixelElement.dataOffset + pixelElement.length);
  const framesInPixelData = type === 'BINARY' ? Math.floor((pixelData.length * 8) / plane) : Math.floor(pixelData.length / plane);
  if (frameCountText === '') {
    throw new SegReadError(`${name}: NumberOfFrames is missing; the per-frame functional groups describe ${perFrame.length} frame(s) and the pixel data holds ${framesInPixelData}.`);
  }
  const frameCount = Number.parseInt(frameCountText, 10);
  if (perFrame.length !== frameCount) throw new SegReadError(`${name}: NumberOfFrames is ${frameCount} but ${perFrame.length} per-frame functional group item(s) are present.`);
  if (framesInPixelData < frameCount) throw new SegReadError(`${name}: the pixel data holds ${framesInPixelData} frame(s) of ${columns}x${rows}, NumberOfFrames says ${frameCount}.`);
  const shared = item(set, 'x52009229');
  const maxFractional = readUint16(set, 'x00620010') ?? 255;
  const known = new Set(segments.map((s) => s.segmentNumber));
  const frames = perFrame.map((group, f): ReadFrame => {
    const identification = item(group, 'x0062000a') ?? item(shared, 'x0062000a');
    const segmentNumber = identification === undefined ? null : readUint16(identification, 'x0062000b');
    if (segmentNumber === null || !known.has(segmentNumber)) throw new SegReadError(`${name}: frame ${f + 1} names segment ${segmentNumber ?? '(none)'}, which the Segment Sequence does not describe.`);
    const source = item(item(group, 'x00089124'), 'x00082112');
    const referencedFrame = source === undefined ? [] : readNumbers(source, 'x00081160');
    const positionSet = item(group, 'x00209113') ?? item(shared, 'x00209113');
    let pixels: Uint8Array;
    if (type === 'BINARY') pixels = unpackFrame(pixelData, f, plane);
    else pixels = pixelData.subarray(f * plane, (f + 1) * plane).map((v) => (v * 2 >= maxFractional && v > 0 ? 1 : 0));
    return {
      segmentNumber,
      referencedSopInstanceUid: source === undefined ? null : uid(source, 'x00081155') || null,
      referencedFrame: referencedFrame[0] ?? null,
      position: positionSet === undefined ? null : vec3(readNumbers(positionSet, 'x00200032')),
      pixels,
    };
  });
  return {
    file,
    sopInstanceUid: uid(set, 'x00080018'),
    studyInstanceUid: uid(set, 'x0020000d'),
    frameOfReferenceUid: uid(set, 'x00200052'),
    referencedSeriesUids: items(set, 'x00081115').map((s) => uid(s, 'x0020000e')).filter((u) => u !== ''),
    rows,
    columns,
    orientation: orientationIn(shared) ?? orientationIn(perFrame[0]),
    segments,
    frames,
  };
}
