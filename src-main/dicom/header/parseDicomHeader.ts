/**
 * Parsing a DICOM header from bytes already read: recognising DICOM
 * (Part 10 or a raw data set), parsing up to the Pixel Data element, and
 * checking the header against the file (known transfer syntax, native pixel
 * data complete). No file I/O here: readDicomHeader.ts does that.
 */
import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import type { DicomHeader } from './dicomHeader';
import { headerFromDataSet } from './headerFromDataSet';
import { mediaStorageDirectoryClass } from './objectKind';
import { sniffDicom } from './sniffDicom';
import { explicitLittleEndian, implicitLittleEndian, transferSyntaxInfo } from './transferSyntax';

export type HeaderRead =
  | { readonly status: 'dicom'; readonly header: DicomHeader; readonly fileSize: number }
  /** Not DICOM at all (no DICM preamble, not a raw data set), or a DICOMDIR: counted, not listed. */
  | { readonly status: 'not-dicom' }
  | { readonly status: 'refused'; readonly reason: string };

/** dicom-parser throws strings, Errors, or {exception, dataSet}: this finds the words. */
export function describeParseError(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown.replace(/^dicomParser[.:]\w*:?\s*/, '');
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) return describeParseError(thrown.exception);
  return String(thrown);
}

/** Inflates a deflated data set; Z_SYNC_FLUSH lets a header be read from the start of a long stream. */
export function inflateDataSet(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position), { finishFlush: 2 });
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

type Parsed = { ok: true; dataSet: DataSet; transferSyntaxUid: string; part10: boolean } | { ok: false; reason: string; retryWhole: boolean };

/** Parses the header from `bytes` (the whole file when `complete`). */
export function parseHeaderBytes(bytes: Uint8Array, fileSize: number, complete: boolean): Parsed | null {
  const sniff = sniffDicom(bytes, fileSize);
  if (sniff === 'none') return null;
  const rawSyntax = sniff === 'raw-explicit' ? explicitLittleEndian : implicitLittleEndian;
  try {
    const dataSet = dicomParser.parseDicom(bytes, {
      untilTag: 'x7fe00010',
      inflater: inflateDataSet,
      ...(sniff === 'part10' ? {} : { TransferSyntaxUID: rawSyntax }),
    });
    const transferSyntaxUid = sniff === 'part10' ? (dataSet.string('x00020010')?.replace(/\0/g, '').trim() ?? '') : rawSyntax;
    // Reached the end of a partial read without meeting the pixel data: the
    // rest of the header may be further on.
    if (!complete && dataSet.elements.x7fe00010 === undefined) return { ok: false, reason: 'header longer than the first read', retryWhole: true };
    return { ok: true, dataSet, transferSyntaxUid, part10: sniff === 'part10' };
  } catch (thrown) {
    return { ok: false, reason: describeParseError(thrown), retryWhole: !complete };
  }
}

/** True when the data set looks like a real DICOM object rather than bytes that happened to parse. */
function looksLikeDicom(header: DicomHeader): boolean {
  return header.sopClassUid !== '' || header.studyInstanceUid !== '' || header.seriesInstanceUid !== '' || header.image !== null;
}

/** The bytes of a frame set that native pixel data needs; null when not computable. */
function expectedNativeBytes(header: DicomHeader): number | null {
  const image = header.image;
  if (image === null) return null;
  // YBR_FULL_422 stores two luma and one pair of chroma samples per two pixels.
  const samples = image.photometric === 'YBR_FULL_422' ? 2 : image.samplesPerPixel;
  const bits = image.rows * image.columns * samples * image.bitsAllocated * image.numberOfFrames;
  return Math.ceil(bits / 8);
}

/** Checks a parsed header against the file: transfer syntax known, native pixel data complete. */
export function validateHeader(name: string, header: DicomHeader, fileSize: number): string | null {
  const syntax = transferSyntaxInfo(header.transferSyntaxUid);
  if (header.kind !== 'image') return null;
  if (syntax === undefined) return `${name}: unsupported transfer syntax ${header.transferSyntaxUid || '(none)'}`;
  const pixelData = header.pixelData;
  if (pixelData === null || syntax.encoding === 'deflated' || pixelData.length === null) return null;
  if (pixelData.offset + pixelData.length > fileSize) {
    return `${name} is truncated: its pixel data needs ${pixelData.length} bytes from offset ${pixelData.offset}, the file ends after ${fileSize} bytes`;
  }
  const needed = expectedNativeBytes(header);
  if (needed !== null && pixelData.length < needed && (syntax.encoding === 'native-little' || syntax.encoding === 'native-big')) {
    return `${name}: its pixel data holds ${pixelData.length} bytes, ${header.image?.numberOfFrames ?? 1} frame(s) of ${header.image?.columns ?? 0}x${header.image?.rows ?? 0} need ${needed}`;
  }
  return null;
}

/** Interprets already-read bytes (the head of the file, or all of it). */
export function headerFromBytes(name: string, bytes: Uint8Array, fileSize: number, complete: boolean): HeaderRead | 'need-whole-file' {
  const parsed = parseHeaderBytes(bytes, fileSize, complete);
  if (parsed === null) return { status: 'not-dicom' };
  if (!parsed.ok) {
    if (parsed.retryWhole) return 'need-whole-file';
    return { status: 'refused', reason: `${name}: not readable as DICOM (${parsed.reason})` };
  }
  let header: DicomHeader;
  try {
    header = headerFromDataSet(parsed.dataSet, parsed.transferSyntaxUid);
  } catch (thrown) {
    return { status: 'refused', reason: `${name}: header not readable (${describeParseError(thrown)})` };
  }
  if (!looksLikeDicom(header)) {
    // A Part-10 file is DICOM by its preamble: say why it is not imported.
    return parsed.part10 ? { status: 'refused', reason: `${name}: a DICOM file without SOP Class, Study or Series UID or image` } : { status: 'not-dicom' };
  }
  if (header.sopClassUid === mediaStorageDirectoryClass) return { status: 'not-dicom' };
  const problem = validateHeader(name, header, fileSize);
  return problem === null ? { status: 'dicom', header, fileSize } : { status: 'refused', reason: problem };
}
