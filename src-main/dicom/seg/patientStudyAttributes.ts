/**
 * The Patient and General Study attributes a derived object copies from its
 * source, so that it files under the same patient and study (dcentvfy checks
 * exactly this). Values are decoded in the source's character set and
 * re-encoded as UTF-8 by the encoder.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { DataSet as ParsedDataSet } from 'dicom-parser';
import { describeParseError, parseHeaderBytes } from '../header/parseDicomHeader';
import { readText, textDecoderFor } from '../header/dicomText';
import { tag, text, type DicomElement, type Tag } from './dicomEncoder';

/** Copied attributes: tag, VR, and whether the SEG must carry it even when empty (type 2). */
const copied: readonly (readonly [Tag, string, boolean])[] = [
  // Patient module
  [tag(0x0010, 0x0010), 'PN', true], // PatientName
  [tag(0x0010, 0x0020), 'LO', true], // PatientID
  [tag(0x0010, 0x0021), 'LO', false], // IssuerOfPatientID
  [tag(0x0010, 0x0030), 'DA', true], // PatientBirthDate
  [tag(0x0010, 0x0032), 'TM', false], // PatientBirthTime
  [tag(0x0010, 0x0040), 'CS', true], // PatientSex
  [tag(0x0010, 0x1001), 'PN', false], // OtherPatientNames
  [tag(0x0010, 0x2160), 'SH', false], // EthnicGroup
  [tag(0x0010, 0x4000), 'LT', false], // PatientComments
  [tag(0x0012, 0x0062), 'CS', false], // PatientIdentityRemoved
  [tag(0x0012, 0x0063), 'LO', false], // DeidentificationMethod
  // Patient Study module
  [tag(0x0010, 0x1010), 'AS', false], // PatientAge
  [tag(0x0010, 0x1020), 'DS', false], // PatientSize
  [tag(0x0010, 0x1030), 'DS', false], // PatientWeight
  // General Study module
  [tag(0x0020, 0x000d), 'UI', true], // StudyInstanceUID
  [tag(0x0008, 0x0020), 'DA', true], // StudyDate
  [tag(0x0008, 0x0030), 'TM', true], // StudyTime
  [tag(0x0008, 0x0090), 'PN', true], // ReferringPhysicianName
  [tag(0x0020, 0x0010), 'SH', true], // StudyID
  [tag(0x0008, 0x0050), 'SH', true], // AccessionNumber
  [tag(0x0008, 0x1030), 'LO', false], // StudyDescription
];

const tagKey = (value: Tag): string => `x${value.toString(16).padStart(8, '0')}`;

/**
 * Old ACR-NEMA style dates (`1995.06.26`) are not valid DA values any more;
 * a derived object written today carries the same date in today's form.
 */
function normaliseDate(value: string): string {
  const legacy = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(value);
  return legacy === null ? value : `${legacy[1]}${legacy[2]}${legacy[3]}`;
}

/** Legacy times (`11:20:00`) likewise. */
function normaliseTime(value: string): string {
  return /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? value.replace(/:/g, '') : value;
}

/** The copied attributes found in a parsed header, as elements ready to encode. */
export function patientStudyElements(dataSet: ParsedDataSet): Map<Tag, DicomElement> {
  const decoder = textDecoderFor(dataSet);
  const elements = new Map<Tag, DicomElement>();
  for (const [tagValue, vr, required] of copied) {
    const present = dataSet.elements[tagKey(tagValue)] !== undefined;
    if (!present && !required) continue;
    let value = present ? readText(dataSet, tagKey(tagValue), decoder) : '';
    if (vr === 'DA') value = normaliseDate(value);
    if (vr === 'TM') value = normaliseTime(value);
    if (vr === 'UI') value = value.replace(/\0/g, '');
    elements.set(tagValue, text(vr, value));
  }
  return elements;
}

/** Reads `file`'s header (up to the pixel data) and returns its patient and study attributes. */
export async function readPatientStudyElements(file: string): Promise<Map<Tag, DicomElement>> {
  const bytes = await fsp.readFile(file);
  const parsed = parseHeaderBytes(bytes, bytes.length, true);
  if (parsed === null) throw new Error(`${path.basename(file)} is not a DICOM file.`);
  if (!parsed.ok) throw new Error(`${path.basename(file)}: not readable as DICOM (${describeParseError(parsed.reason)}).`);
  return patientStudyElements(parsed.dataSet);
}
