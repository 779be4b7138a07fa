/**
 * Segment Sequence items (PS3.3 C.8.20.2, Segment Description macro): the
 * segment's number and label, its SNOMED CT category and type, how it was
 * made (MANUAL strokes, or SEMIAUTOMATIC when the model contributed, with
 * the algorithm's name and the model version) and its display colour.
 */
import type { CodedConcept, Segment } from '../../shared/contract/labels';
import { rgbHexToDicomLab } from './cielab';
import { dataSet, sequence, tag, text, us, type DataSet } from './dicomEncoder';

/** How a segment was made. */
export type SegmentAlgorithm =
  | { readonly type: 'MANUAL' }
  | { readonly type: 'SEMIAUTOMATIC' | 'AUTOMATIC'; readonly name: string; readonly version: string };

/** The algorithm name the workstation writes for segments its model contributed to. */
export const workstationAlgorithmName = 'MACL Workstation';

/** A Code Sequence macro item. */
export function codeItem(code: CodedConcept): DataSet {
  return dataSet([
    [tag(0x0008, 0x0100), text('SH', code.value)],
    [tag(0x0008, 0x0102), text('SH', code.scheme)],
    [tag(0x0008, 0x0104), text('LO', code.meaning)],
  ]);
}

// CID 7162 Surface Processing Algorithm Family: the model is what makes a segment non-manual.
const artificialIntelligence: CodedConcept = { scheme: 'DCM', value: '123110', meaning: 'Artificial Intelligence' };

function algorithmIdentification(algorithm: Exclude<SegmentAlgorithm, { type: 'MANUAL' }>): DataSet {
  return dataSet([
    [tag(0x0066, 0x002f), sequence([codeItem(artificialIntelligence)])],
    [tag(0x0066, 0x0036), text('LO', algorithm.name)],
    [tag(0x0066, 0x0031), text('LO', algorithm.version)],
  ]);
}

/** The Segment Sequence item of `segment`, numbered `segmentNumber` (1, 2, ... in the file). */
export function segmentItem(segmentNumber: number, segment: Segment, algorithm: SegmentAlgorithm): DataSet {
  const item = dataSet([
    [tag(0x0062, 0x0004), us(segmentNumber)],
    [tag(0x0062, 0x0005), text('LO', segment.name)],
    [tag(0x0062, 0x0003), sequence([codeItem(segment.category)])],
    [tag(0x0062, 0x000f), sequence([codeItem(segment.type)])],
    [tag(0x0062, 0x0008), text('CS', algorithm.type)],
    [tag(0x0062, 0x000d), us(...rgbHexToDicomLab(segment.color))],
  ]);
  if (algorithm.type !== 'MANUAL') {
    item.set(tag(0x0062, 0x0009), text('LO', algorithm.name));
    item.set(tag(0x0062, 0x0007), sequence([algorithmIdentification(algorithm)]));
  }
  return item;
}
