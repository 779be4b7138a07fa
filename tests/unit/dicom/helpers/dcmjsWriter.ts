/**
 * Writes synthetic DICOM files with dcmjs (an independent writer: the
 * workstation's reader is checked against files it did not produce).
 * dcmjs ships no type definitions; the little used here is described below.
 */
import { writeFileSync } from 'node:fs';

interface DcmjsDict {
  dict: object;
  write(): ArrayBuffer;
}
interface DcmjsData {
  readonly DicomMetaDictionary: { denaturalizeDataset(dataset: object): object };
  readonly DicomDict: new (meta: object) => DcmjsDict;
}

let loading: Promise<DcmjsData> | null = null;

async function dcmjsData(): Promise<DcmjsData> {
  const specifier: string = 'dcmjs';
  const module: unknown = await import(specifier);
  const root: unknown = typeof module === 'object' && module !== null ? (Reflect.get(module, 'default') ?? module) : undefined;
  const data: unknown = typeof root === 'object' && root !== null ? Reflect.get(root, 'data') : undefined;
  if (typeof data !== 'object' || data === null || !('DicomDict' in data) || !('DicomMetaDictionary' in data)) throw new Error('dcmjs has no data.DicomDict');
  return data as DcmjsData;
}

export const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';
export const enhancedMrStorage = '1.2.840.10008.5.1.4.1.1.4.1';

/** Writes a natural dcmjs dataset (explicit VR little endian) to `file`. */
export async function writeDcmjs(file: string, dataset: Record<string, unknown>): Promise<void> {
  loading ??= dcmjsData();
  const { DicomMetaDictionary, DicomDict } = await loading;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1234.2',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  writeFileSync(file, Buffer.from(dict.write()));
}

export interface CtSliceOptions {
  readonly series: string;
  readonly instance: number;
  readonly position: readonly [number, number, number];
  readonly orientation?: readonly number[];
  readonly rows?: number;
  readonly columns?: number;
  readonly slope?: number;
  readonly intercept?: number;
  /** Value of every pixel (stored, before rescale); default: the instance number. */
  readonly fill?: number;
  readonly echo?: number;
  readonly sop?: string;
}

/** A signed 16-bit CT slice as a natural dcmjs dataset. */
export function ctSlice(options: CtSliceOptions): Record<string, unknown> {
  const rows = options.rows ?? 8;
  const columns = options.columns ?? 8;
  const pixels = new Int16Array(rows * columns).fill(options.fill ?? options.instance);
  pixels[0] = -300; // a negative stored value: signedness must survive
  return {
    SOPClassUID: ctImageStorage,
    SOPInstanceUID: options.sop ?? `${options.series}.${options.instance}${options.echo === undefined ? '' : `.${options.echo}`}`,
    StudyDate: '20240102',
    Modality: 'CT',
    SeriesDescription: 'synthetic',
    PatientName: 'Synthetic^Case',
    PatientID: 'SYN',
    StudyInstanceUID: '1.2.826.0.1.3680043.10.1234.77',
    SeriesInstanceUID: options.series,
    SeriesNumber: 3,
    InstanceNumber: options.instance,
    ...(options.echo === undefined ? {} : { EchoNumbers: options.echo }),
    FrameOfReferenceUID: '1.2.826.0.1.3680043.10.1234.77.1',
    ImagePositionPatient: [...options.position],
    ImageOrientationPatient: [...(options.orientation ?? [1, 0, 0, 0, 1, 0])],
    PixelSpacing: [0.7, 0.6],
    SliceThickness: 2.5,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    RescaleIntercept: options.intercept ?? -1024,
    RescaleSlope: options.slope ?? 1,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
  };
}
