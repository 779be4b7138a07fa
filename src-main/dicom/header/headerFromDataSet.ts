/**
 * Turns a parsed data set (dicom-parser, stopped before the pixel data) into
 * a DicomHeader: identifiers, the image pixel module, rescale and window,
 * and the geometry of every frame, including enhanced multi-frame objects'
 * functional groups and RT dose grids' frame offsets.
 */
import type { DataSet } from 'dicom-parser';
import type { DicomHeader, FrameGeometry, ImagePixel } from './dicomHeader';
import { functionalGroupGeometry, geometryIn, mergeGeometry, type GeometryTags } from './frameGeometry';
import { formatPersonName, readNumber, readNumbers, readText, readUint16, textDecoderFor } from './dicomText';
import { classifyObject } from './objectKind';
import { add, cross, scale } from '../../shared/geometry/vec3';

function itemDataSet(dataSet: DataSet | undefined, tag: string): DataSet | undefined {
  return dataSet?.elements[tag]?.items?.[0]?.dataSet;
}

/** The data set as frameGeometry.ts reads it. */
function geometryTags(dataSet: DataSet | undefined): GeometryTags | undefined {
  if (dataSet === undefined) return undefined;
  return { numbers: (tag) => readNumbers(dataSet, `x${tag}`), item: (tag) => geometryTags(itemDataSet(dataSet, `x${tag}`)) };
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
    return perFrameItems.slice(0, frames).map((item) => mergeGeometry(fileLevel, functionalGroupGeometry(geometryTags(item.dataSet))));
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
  const fileLevel = mergeGeometry(geometryIn(geometryTags(dataSet)), functionalGroupGeometry(geometryTags(shared)));
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
