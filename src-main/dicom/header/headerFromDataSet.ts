/**
 * Turns a parsed data set (dicom-parser, stopped before the pixel data) into
 * a DicomHeader: identifiers, the image pixel module, rescale and window,
 * and the geometry of every frame, including enhanced multi-frame objects'
 * functional groups and RT dose grids' frame offsets.
 */
import type { DataSet } from 'dicom-parser';
import type { DicomHeader, FrameGeometry, ImagePixel } from './dicomHeader';
import { formatPersonName, readNumber, readNumbers, readText, readUint16, textDecoderFor } from './dicomText';
import { classifyObject } from './objectKind';
import { add, cross, scale } from '../../shared/geometry/vec3';

const noGeometry: FrameGeometry = { position: null, orientation: null, pixelSpacing: null, rescale: null };

function vec3Of(values: readonly number[]): [number, number, number] | null {
  const [x, y, z] = values;
  return x === undefined || y === undefined || z === undefined ? null : [x, y, z];
}

function itemDataSet(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

/** The geometry found directly in `dataSet` (top level, or one functional group item). */
function geometryIn(dataSet: DataSet | undefined): Partial<FrameGeometry> {
  if (dataSet === undefined) return {};
  const result: { -readonly [K in keyof FrameGeometry]?: FrameGeometry[K] } = {};
  const position = vec3Of(readNumbers(dataSet, 'x00200032'));
  if (position !== null) result.position = position;
  const iop = readNumbers(dataSet, 'x00200037');
  const row = vec3Of(iop.slice(0, 3));
  const col = vec3Of(iop.slice(3, 6));
  if (row !== null && col !== null) result.orientation = [row, col];
  const spacing = readNumbers(dataSet, 'x00280030');
  if (spacing.length >= 2 && spacing[0] !== undefined && spacing[1] !== undefined && spacing[0] > 0 && spacing[1] > 0) {
    result.pixelSpacing = [spacing[0], spacing[1]];
  }
  return result;
}

/** Geometry of one functional-groups item (per-frame or shared). */
function functionalGroupGeometry(group: DataSet | undefined): Partial<FrameGeometry> {
  if (group === undefined) return {};
  const result: { -readonly [K in keyof FrameGeometry]?: FrameGeometry[K] } = {
    ...geometryIn(itemDataSet(group, 'x00209113')),
    ...geometryIn(itemDataSet(group, 'x00209116')),
    ...geometryIn(itemDataSet(group, 'x00289110')),
  };
  const transform = itemDataSet(group, 'x00289145');
  if (transform !== undefined) {
    const slope = readNumber(transform, 'x00281053');
    const intercept = readNumber(transform, 'x00281052');
    if (slope !== null || intercept !== null) result.rescale = { slope: slope ?? 1, intercept: intercept ?? 0 };
  }
  return result;
}

function merge(...parts: Partial<FrameGeometry>[]): FrameGeometry {
  const result: { -readonly [K in keyof FrameGeometry]: FrameGeometry[K] } = { ...noGeometry };
  for (const part of parts) {
    if (part.position !== undefined) result.position = part.position;
    if (part.orientation !== undefined) result.orientation = part.orientation;
    if (part.pixelSpacing !== undefined) result.pixelSpacing = part.pixelSpacing;
    if (part.rescale !== undefined) result.rescale = part.rescale;
  }
  return result;
}

function imagePixelOf(dataSet: DataSet): ImagePixel | null {
  const rows = readUint16(dataSet, 'x00280010');
  const columns = readUint16(dataSet, 'x00280011');
  const bitsAllocated = readUint16(dataSet, 'x00280100');
  if (rows === null || columns === null || rows === 0 || columns === 0 || bitsAllocated === null || bitsAllocated === 0) return null;
  const bitsStored = readUint16(dataSet, 'x00280101') ?? bitsAllocated;
  const frames = readNumber(dataSet, 'x00280008');
  return {
    rows,
    columns,
    samplesPerPixel: readUint16(dataSet, 'x00280002') ?? 1,
    photometric: dataSet.string('x00280004')?.trim() ?? 'MONOCHROME2',
    bitsAllocated,
    bitsStored: bitsStored === 0 ? bitsAllocated : bitsStored,
    highBit: readUint16(dataSet, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: readUint16(dataSet, 'x00280103') === 1 ? 1 : 0,
    planarConfiguration: readUint16(dataSet, 'x00280006') === 1 ? 1 : 0,
    numberOfFrames: frames !== null && frames >= 1 ? Math.round(frames) : 1,
  };
}

/** Per-frame geometry, or null when every frame shares the file-level geometry. */
function perFrameGeometry(dataSet: DataSet, fileLevel: FrameGeometry, frames: number): FrameGeometry[] | null {
  const perFrameItems = dataSet.elements.x52009230?.items;
  if (perFrameItems !== undefined && perFrameItems.length > 0) {
    return perFrameItems.slice(0, frames).map((item) => merge(fileLevel, functionalGroupGeometry(item.dataSet)));
  }
  // RT dose grids and some NM objects: one position, frames offset along the normal.
  const offsets = readNumbers(dataSet, 'x3004000c');
  if (frames > 1 && offsets.length === frames && fileLevel.position !== null && fileLevel.orientation !== null) {
    const normal = cross(fileLevel.orientation[0], fileLevel.orientation[1]);
    const first = offsets[0] ?? 0;
    const origin = fileLevel.position;
    return offsets.map((offset) => ({ ...fileLevel, position: [...add(origin, scale(normal, offset - first))] }));
  }
  return null;
}

function integerOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

/** Extracts a DicomHeader from a data set parsed up to (not into) the pixel data. */
export function headerFromDataSet(dataSet: DataSet, transferSyntaxUid: string): DicomHeader {
  const decoder = textDecoderFor(dataSet);
  const text = (tag: string): string => readText(dataSet, tag, decoder);
  const image = imagePixelOf(dataSet);
  const shared = itemDataSet(dataSet, 'x52009229');
  const fileLevel = merge(geometryIn(dataSet), functionalGroupGeometry(shared));
  const pixelElement = dataSet.elements.x7fe00010;
  // Falls back to the meta header's class: DICOMDIRs carry theirs only there.
  const sopClassUid = text('x00080016') || text('x00020002');
  const modality = text('x00080060');
  const window = itemDataSet(shared, 'x00289132') ?? dataSet;
  return {
    transferSyntaxUid,
    sopClassUid,
    sopInstanceUid: text('x00080018'),
    studyInstanceUid: text('x0020000d'),
    seriesInstanceUid: text('x0020000e'),
    frameOfReferenceUid: text('x00200052'),
    modality,
    patientName: formatPersonName(text('x00100010')),
    patientId: text('x00100020'),
    studyDate: text('x00080020'),
    seriesDescription: text('x0008103e'),
    seriesNumber: integerOrNull(readNumber(dataSet, 'x00200011')),
    instanceNumber: integerOrNull(readNumber(dataSet, 'x00200013')),
    echoNumber: readNumber(dataSet, 'x00180086'),
    temporalPosition: readNumber(dataSet, 'x00200100'),
    acquisitionNumber: readNumber(dataSet, 'x00200012'),
    kind: classifyObject(sopClassUid, modality, image !== null && pixelElement !== undefined),
    image,
    rescaleSlope: readNumber(dataSet, 'x00281053') ?? fileLevel.rescale?.slope ?? 1,
    rescaleIntercept: readNumber(dataSet, 'x00281052') ?? fileLevel.rescale?.intercept ?? 0,
    windowCenter: readNumber(window, 'x00281050'),
    windowWidth: readNumber(window, 'x00281051'),
    sliceThickness: readNumber(dataSet, 'x00180050') ?? readNumber(itemDataSet(shared, 'x00289110') ?? dataSet, 'x00180050'),
    spacingBetweenSlices: readNumber(dataSet, 'x00180088') ?? readNumber(itemDataSet(shared, 'x00289110') ?? dataSet, 'x00180088'),
    geometry: fileLevel,
    perFrame: image === null ? null : perFrameGeometry(dataSet, fileLevel, image.numberOfFrames),
    pixelData:
      pixelElement === undefined
        ? null
        : { offset: pixelElement.dataOffset, length: pixelElement.hadUndefinedLength === true ? null : pixelElement.length },
  };
}
