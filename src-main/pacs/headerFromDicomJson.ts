/**
 * Turns one instance's WADO-RS metadata (DICOM JSON, no pixels) into the
 * DicomHeader the archive grouping uses, so a PACS archive's series can be
 * grouped, sorted and checked (geometry, slice count, kind) before any pixel
 * is fetched. The same fields as headerFromDataSet.ts reads from a file:
 * identifiers, the image pixel module, rescale and window, and the geometry
 * of classic images and of enhanced multi-frame objects' functional groups
 * (RT dose grid frame offsets are not derived). Where the pixel data starts
 * is only known from the file: the loader reads that once it is fetched.
 */
import type { DicomHeader, ImagePixel } from '../dicom/header/dicomHeader';
import { functionalGroupGeometry, geometryIn, mergeGeometry, type GeometryTags } from '../dicom/header/frameGeometry';
import { formatPersonName } from '../dicom/header/dicomText';
import { classifyObject } from '../dicom/header/objectKind';
import { itemsOf, textOf, type DicomJsonDataset } from './dicomJson';

/** Every value of `tag` as a number (DS and IS arrive as numbers or as text, depending on the server). */
function numbersOf(dataset: DicomJsonDataset | undefined, tag: string): number[] {
  return (dataset?.[tag]?.Value ?? []).map((value) => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN)).filter(Number.isFinite);
}

function numberOf(dataset: DicomJsonDataset | undefined, tag: string): number | null {
  return numbersOf(dataset, tag)[0] ?? null;
}

function firstItem(dataset: DicomJsonDataset | undefined, tag: string): DicomJsonDataset | undefined {
  return dataset === undefined ? undefined : itemsOf(dataset, tag)[0];
}

/** The metadata as dicom/header/frameGeometry.ts reads it. */
function geometryTags(dataset: DicomJsonDataset | undefined): GeometryTags | undefined {
  if (dataset === undefined) return undefined;
  return { numbers: (tag) => numbersOf(dataset, tag), item: (tag) => geometryTags(firstItem(dataset, tag)) };
}

function imagePixelOf(dataset: DicomJsonDataset): ImagePixel | null {
  const rows = numberOf(dataset, '00280010');
  const columns = numberOf(dataset, '00280011');
  const bitsAllocated = numberOf(dataset, '00280100');
  if (rows === null || columns === null || bitsAllocated === null || rows <= 0 || columns <= 0 || bitsAllocated <= 0) return null;
  const bitsStored = numberOf(dataset, '00280101') ?? bitsAllocated;
  const frames = numberOf(dataset, '00280008');
  return {
    rows,
    columns,
    samplesPerPixel: numberOf(dataset, '00280002') ?? 1,
    photometric: textOf(dataset, '00280004').trim() || 'MONOCHROME2',
    bitsAllocated,
    bitsStored,
    highBit: numberOf(dataset, '00280102') ?? bitsStored - 1,
    pixelRepresentation: numberOf(dataset, '00280103') === 1 ? 1 : 0,
    planarConfiguration: numberOf(dataset, '00280006') === 1 ? 1 : 0,
    numberOfFrames: frames !== null && frames >= 1 ? Math.round(frames) : 1,
  };
}

const roundOrNull = (value: number | null): number | null => (value === null ? null : Math.round(value));

/** The header of one instance from its DICOM JSON metadata. */
export function headerFromDicomJson(dataset: DicomJsonDataset): DicomHeader {
  const text = (tag: string): string => textOf(dataset, tag).trim();
  const image = imagePixelOf(dataset);
  const shared = firstItem(dataset, '52009229');
  const fileLevel = mergeGeometry(geometryIn(geometryTags(dataset)), functionalGroupGeometry(geometryTags(shared)));
  const perFrameItems = itemsOf(dataset, '52009230');
  const sopClassUid = text('00080016');
  const modality = text('00080060');
  // The metadata of an image names its pixel data (a BulkDataURI or inline value) without carrying it.
  const hasPixels = dataset['7FE00010'] !== undefined || dataset['7FE00008'] !== undefined || dataset['7FE00009'] !== undefined;
  return {
    transferSyntaxUid: text('00020010'),
    sopClassUid,
    sopInstanceUid: text('00080018'),
    studyInstanceUid: text('0020000D'),
    seriesInstanceUid: text('0020000E'),
    frameOfReferenceUid: text('00200052'),
    modality,
    patientName: formatPersonName(text('00100010')),
    patientId: text('00100020'),
    studyDate: text('00080020'),
    seriesDescription: text('0008103E'),
    seriesNumber: roundOrNull(numberOf(dataset, '00200011')),
    instanceNumber: roundOrNull(numberOf(dataset, '00200013')),
    echoNumber: numberOf(dataset, '00180086'),
    temporalPosition: numberOf(dataset, '00200100'),
    acquisitionNumber: numberOf(dataset, '00200012'),
    kind: classifyObject(sopClassUid, modality, image !== null && hasPixels),
    image,
    rescaleSlope: numberOf(dataset, '00281053') ?? fileLevel.rescale?.slope ?? 1,
    rescaleIntercept: numberOf(dataset, '00281052') ?? fileLevel.rescale?.intercept ?? 0,
    windowCenter: numberOf(firstItem(shared, '00289132') ?? dataset, '00281050'),
    windowWidth: numberOf(firstItem(shared, '00289132') ?? dataset, '00281051'),
    sliceThickness: numberOf(dataset, '00180050') ?? numberOf(firstItem(shared, '00289110'), '00180050'),
    spacingBetweenSlices: numberOf(dataset, '00180088') ?? numberOf(firstItem(shared, '00289110'), '00180088'),
    geometry: fileLevel,
    perFrame: image === null || perFrameItems.length === 0 ? null : perFrameItems.slice(0, image.numberOfFrames).map((item) => mergeGeometry(fileLevel, functionalGroupGeometry(geometryTags(item)))),
    pixelData: null,
  };
}
