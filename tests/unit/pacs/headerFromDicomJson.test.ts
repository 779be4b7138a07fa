/**
 * The header read from WADO-RS metadata (DICOM JSON) matches the header the
 * importer reads from the file itself, for the brain MR slices and a
 * synthetic CT slice: the PACS archive groups, sorts and checks series
 * from metadata exactly as a scanned folder does. The DICOM JSON comes from
 * dcmjs, an independent reader.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDicomHeader } from '../../../src-main/dicom/header/readDicomHeader';
import { dicomJsonDatasetSchema } from '../../../src-main/pacs/dicomJson';
import { headerFromDicomJson } from '../../../src-main/pacs/headerFromDicomJson';
import { ctSlice, enhancedMrStorage, writeDcmjs } from '../dicom/helpers/dcmjsWriter';
import { tempFolder, writePhantomArchive } from '../trainer/jobs/jobFixtures';

const temp = tempFolder('dicom-json');
afterAll(() => temp.cleanup());

interface Dcmjs {
  readonly data: { DicomMessage: { readFile(buffer: ArrayBuffer): { dict: unknown } } };
  readonly log: { getLogger(name: string): { setLevel(level: string): void } };
}

/** The file's data set as DICOM JSON, read by dcmjs (it ships no types). */
async function dicomJsonOf(file: string): Promise<unknown> {
  const specifier: string = 'dcmjs';
  const module = (await import(specifier)) as { default?: Dcmjs } & Dcmjs;
  const dcmjs = module.default ?? module;
  // Its validation log reports every element of an implicit-VR file that its dictionary lacks (read as UN); not needed here.
  dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
  const bytes = readFileSync(file);
  return dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).dict;
}

describe('header from DICOM JSON metadata', () => {
  it('matches the header read from the file, except what only the file says (transfer syntax, where the pixels start)', async () => {
    writePhantomArchive(temp.dir, 1, 2);
    const oblique = path.join(temp.dir, 'oblique.dcm');
    await writeDcmjs(oblique, ctSlice({ series: '1.2.826.0.1.3680043.10.1234.80', instance: 2, position: [1, 2, 3], orientation: [0.8, 0.6, 0, -0.6, 0.8, 0], slope: 2, intercept: -1024, echo: 1 }));
    const enhanced = path.join(temp.dir, 'enhanced.dcm');
    await writeDcmjs(enhanced, {
      SOPClassUID: enhancedMrStorage, SOPInstanceUID: '1.2.826.0.1.3680043.10.1234.78.1.1', StudyInstanceUID: '1.2.826.0.1.3680043.10.1234.78', SeriesInstanceUID: '1.2.826.0.1.3680043.10.1234.78.1',
      Modality: 'MR', NumberOfFrames: 3, Rows: 4, Columns: 4, SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', BitsAllocated: 16, BitsStored: 16, HighBit: 15, PixelRepresentation: 1,
      SharedFunctionalGroupsSequence: [{ PixelMeasuresSequence: [{ PixelSpacing: [1.5, 1.5], SliceThickness: 3 }], PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }] }],
      PerFrameFunctionalGroupsSequence: [6, 0, 3].map((z, f) => ({ PlanePositionSequence: [{ ImagePositionPatient: [0, 0, z] }], PixelValueTransformationSequence: [{ RescaleIntercept: f * 100, RescaleSlope: 1, RescaleType: 'US' }] })),
      PixelData: [new Int16Array(3 * 16).buffer],
      _vrMap: { PixelData: 'OW' },
    });
    const files = [path.join(temp.dir, 'series0', 'slice1.dcm'), oblique, enhanced];
    for (const file of files) {
      const read = await readDicomHeader(file);
      if (read.status !== 'dicom') throw new Error(`${file} is not readable`);
      const fromJson = headerFromDicomJson(dicomJsonDatasetSchema.parse(await dicomJsonOf(file)));
      expect({ ...fromJson, transferSyntaxUid: '', pixelData: null }, file).toEqual({ ...read.header, transferSyntaxUid: '', pixelData: null });
      expect(fromJson.pixelData).toBeNull();
    }
  });
});
