/**
 * The data set of a DICOM Segmentation (SOP class 1.2.840.10008.5.1.4.1.1.66.4,
 * BINARY, enhanced multi-frame) derived from one source series.
 *
 * Every frame carries the ImagePositionPatient of the very source slice it
 * was cut from, and a Derivation Image reference to that slice's SOP
 * instance (and frame): the frame's place is copied from its source, never
 * recomputed from a volume origin and step, so it cannot come out mirrored
 * (the recipe that recomputes it put a stroke at z=-55 at z=-62.5, and the
 * result still passed dciodvfy: only a decode-and-compare round trip catches it).
 */
import type { Segment } from '../../shared/contract/labels';
import type { PackedFrames } from './segFrames';
import type { SegSource } from './segSource';
import {
  attributeTags,
  binary,
  dataSet,
  decimals,
  integerString,
  needsUtf8,
  sequence,
  tag,
  text,
  ul,
  us,
  type DataSet,
  type DicomElement,
  type Tag,
} from './dicomEncoder';
import { codeItem, segmentItem, type SegmentAlgorithm } from './segmentDescription';

export const segmentationStorage = '1.2.840.10008.5.1.4.1.1.66.4';

/** A segment as written: its number in the file, its description and how it was made. */
export interface WrittenSegment {
  readonly segmentNumber: number;
  readonly segment: Segment;
  readonly algorithm: SegmentAlgorithm;
}

/** The choices of the person exporting, and the software writing. */
export interface SegDescription {
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly seriesDescription: string;
  readonly seriesNumber: number;
  readonly contentCreator: string;
  readonly contentLabel: string;
  readonly softwareVersion: string;
  readonly deviceSerialNumber: string;
  readonly dimensionOrganizationUid: string;
  readonly now: Date;
}

const t = {
  referencedSopClass: tag(0x0008, 0x1150),
  referencedSopInstance: tag(0x0008, 0x1155),
  imagePosition: tag(0x0020, 0x0032),
  planePosition: tag(0x0020, 0x9113),
  frameContent: tag(0x0020, 0x9111),
  inStackPosition: tag(0x0020, 0x9057),
  segmentIdentification: tag(0x0062, 0x000a),
  referencedSegmentNumber: tag(0x0062, 0x000b),
} as const;

const derivationSegmentation = { scheme: 'DCM', value: '113076', meaning: 'Segmentation' };
const sourceForProcessing = { scheme: 'DCM', value: '121322', meaning: 'Source image for image processing operation' };

const two = (n: number): string => String(n).padStart(2, '0');
const dicomDate = (d: Date): string => `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}`;
const dicomTime = (d: Date): string => `${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;

/** A ContentLabel (CS: upper-case letters, digits, space, underscore; 16 characters) from free text. */
export function contentLabelFrom(textValue: string): string {
  const label = textValue.toUpperCase().replace(/[^A-Z0-9 _]/g, '_').trim().slice(0, 16).trim();
  return label === '' ? 'SEGMENTATION' : label;
}

/** True when every slice has a position and the series an orientation: frames are placed in patient space. */
export function isPositioned(source: SegSource): boolean {
  return source.orientation !== null && source.slices.every((slice) => slice.position !== null);
}

function sharedGroups(source: SegSource): DataSet {
  const shared = dataSet([]);
  if (source.orientation !== null) shared.set(tag(0x0020, 0x9116), sequence([dataSet([[tag(0x0020, 0x0037), decimals([...source.orientation[0], ...source.orientation[1]])]])]));
  if (source.pixelSpacing !== null) {
    const thickness = source.sliceThickness !== null && source.sliceThickness > 0 ? source.sliceThickness : source.spacingBetweenSlices;
    shared.set(
      tag(0x0028, 0x9110),
      sequence([
        dataSet([
          [tag(0x0028, 0x0030), decimals([...source.pixelSpacing])],
          [tag(0x0018, 0x0050), decimals([thickness])],
          [tag(0x0018, 0x0088), decimals([source.spacingBetweenSlices])],
        ]),
      ]),
    );
  }
  return shared;
}

function perFrameGroup(source: SegSource, frame: PackedFrames['frames'][number], positionIndex: number, positioned: boolean): DataSet {
  const slice = source.slices[frame.slice];
  if (slice === undefined) throw new RangeError(`Frame of slice ${frame.slice} outside the source.`);
  const reference = dataSet([
    [t.referencedSopClass, text('UI', slice.sopClassUid)],
    [t.referencedSopInstance, text('UI', slice.sopInstanceUid)],
    [tag(0x0040, 0xa170), sequence([codeItem(sourceForProcessing)])],
  ]);
  if (slice.frame !== null) reference.set(tag(0x0008, 0x1160), integerString(slice.frame + 1));
  // Without patient-space positions the stack position is the dimension, and its index value must equal it.
  const frameContent = dataSet([[tag(0x0020, 0x9157), ul(frame.segmentNumber, positioned ? positionIndex : frame.slice + 1)]]);
  if (!positioned) {
    frameContent.set(tag(0x0020, 0x9056), text('SH', '1'));
    frameContent.set(t.inStackPosition, ul(frame.slice + 1));
  }
  const group = dataSet([
    [tag(0x0008, 0x9124), sequence([dataSet([[tag(0x0008, 0x2112), sequence([reference])], [tag(0x0008, 0x9215), sequence([codeItem(derivationSegmentation)])]])])],
    [t.frameContent, sequence([frameContent])],
    [t.segmentIdentification, sequence([dataSet([[t.referencedSegmentNumber, us(frame.segmentNumber)]])])],
  ]);
  if (positioned && slice.position !== null) group.set(t.planePosition, sequence([dataSet([[t.imagePosition, decimals(slice.position)]])]));
  return group;
}

function dimensions(description: SegDescription, positioned: boolean): [Tag, DicomElement][] {
  const uid = text('UI', description.dimensionOrganizationUid);
  const index = (pointer: Tag, group: Tag, label: string): DataSet =>
    dataSet([
      [tag(0x0020, 0x9164), uid],
      [tag(0x0020, 0x9165), attributeTags(pointer)],
      [tag(0x0020, 0x9167), attributeTags(group)],
      [tag(0x0020, 0x9421), text('LO', label)],
    ]);
  return [
    [tag(0x0020, 0x9221), sequence([dataSet([[tag(0x0020, 0x9164), uid]])])],
    [
      tag(0x0020, 0x9222),
      sequence([
        index(t.referencedSegmentNumber, t.segmentIdentification, 'Segment Number'),
        positioned ? index(t.imagePosition, t.planePosition, 'Image Position Patient') : index(t.inStackPosition, t.frameContent, 'In-Stack Position Number'),
      ]),
    ],
  ];
}

function referencedSeries(source: SegSource): DataSet {
  const seen = new Set<string>();
  const instances: DataSet[] = [];
  for (const slice of source.slices) {
    if (seen.has(slice.sopInstanceUid)) continue;
    seen.add(slice.sopInstanceUid);
    instances.push(dataSet([[t.referencedSopClass, text('UI', slice.sopClassUid)], [t.referencedSopInstance, text('UI', slice.sopInstanceUid)]]));
  }
  return dataSet([[tag(0x0020, 0x000e), text('UI', source.seriesInstanceUid)], [tag(0x0008, 0x114a), sequence(instances)]]);
}

/** The whole SEG data set: `packed` frames of `segments` over `source`. */
export function segDataset(source: SegSource, segments: readonly WrittenSegment[], packed: PackedFrames, description: SegDescription): DataSet {
  const positioned = isPositioned(source);
  // Dimension index values of the position dimension: 1.. over the slices that have frames, in sorted order.
  const usedSlices = [...new Set(packed.frames.map((frame) => frame.slice))].sort((a, b) => a - b);
  const positionIndex = new Map(usedSlices.map((slice, i) => [slice, i + 1]));
  const date = dicomDate(description.now);
  const time = dicomTime(description.now);
  const set = dataSet([
    ...source.patientStudy,
    [tag(0x0008, 0x0008), text('CS', ['DERIVED', 'PRIMARY'])],
    [tag(0x0008, 0x0012), text('DA', date)],
    [tag(0x0008, 0x0013), text('TM', time)],
    [tag(0x0008, 0x0016), text('UI', segmentationStorage)],
    [tag(0x0008, 0x0018), text('UI', description.sopInstanceUid)],
    [tag(0x0008, 0x0021), text('DA', date)],
    [tag(0x0008, 0x0023), text('DA', date)],
    [tag(0x0008, 0x0031), text('TM', time)],
    [tag(0x0008, 0x0033), text('TM', time)],
    [tag(0x0008, 0x0060), text('CS', 'SEG')],
    [tag(0x0008, 0x0070), text('LO', 'MACL')],
    [tag(0x0008, 0x103e), text('LO', description.seriesDescription)],
    [tag(0x0008, 0x1090), text('LO', 'MACL Workstation')],
    [tag(0x0008, 0x1115), sequence([referencedSeries(source)])],
    [tag(0x0018, 0x1000), text('LO', description.deviceSerialNumber)],
    [tag(0x0018, 0x1020), text('LO', description.softwareVersion)],
    [tag(0x0020, 0x000e), text('UI', description.seriesInstanceUid)],
    [tag(0x0020, 0x0011), integerString(description.seriesNumber)],
    [tag(0x0020, 0x0013), integerString(1)],
    ...dimensions(description, positioned),
    [tag(0x0028, 0x0002), us(1)],
    [tag(0x0028, 0x0004), text('CS', 'MONOCHROME2')],
    [tag(0x0028, 0x0008), integerString(packed.frames.length)],
    [tag(0x0028, 0x0010), us(source.rows)],
    [tag(0x0028, 0x0011), us(source.columns)],
    [tag(0x0028, 0x0100), us(1)],
    [tag(0x0028, 0x0101), us(1)],
    [tag(0x0028, 0x0102), us(0)],
    [tag(0x0028, 0x0103), us(0)],
    [tag(0x0028, 0x2110), text('CS', '00')],
    [tag(0x0062, 0x0001), text('CS', 'BINARY')],
    [tag(0x0062, 0x0002), sequence(segments.map((s) => segmentItem(s.segmentNumber, s.segment, s.algorithm)))],
    [tag(0x0070, 0x0080), text('CS', description.contentLabel)],
    [tag(0x0070, 0x0081), text('LO', description.seriesDescription)],
    [tag(0x0070, 0x0084), text('PN', description.contentCreator)],
    [tag(0x5200, 0x9229), sequence([sharedGroups(source)])],
    [tag(0x5200, 0x9230), sequence(packed.frames.map((frame) => perFrameGroup(source, frame, positionIndex.get(frame.slice) ?? 0, positioned)))],
    [tag(0x7fe0, 0x0010), binary('OB', packed.pixelData)],
  ]);
  // Type 2C: required when frames carry no position and orientation.
  if (!positioned) set.set(tag(0x0020, 0x0020), text('CS', ''));
  if (source.frameOfReferenceUid !== '') {
    set.set(tag(0x0020, 0x0052), text('UI', source.frameOfReferenceUid));
    set.set(tag(0x0020, 0x1040), text('LO', ''));
  }
  const allText = [description.seriesDescription, description.contentCreator, ...segments.map((s) => s.segment.name), ...[...source.patientStudy.values()].map((e) => ('bytes' in e ? new TextDecoder().decode(e.bytes) : ''))];
  if (allText.some(needsUtf8)) set.set(tag(0x0008, 0x0005), text('CS', 'ISO_IR 192'));
  return set;
}
