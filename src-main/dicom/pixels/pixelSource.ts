/**
 * Opens a DICOM file for decoding: reads it whole, parses the data set up to
 * the pixel data, then locates the pixel data itself (native bytes, or the
 * fragments of encapsulated data) without walking whatever follows it (some
 * real files carry megabytes of padding after the pixels).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import type { DicomHeader } from '../header/dicomHeader';
import { describeParseError, headerFromBytes, inflateDataSet } from '../header/parseDicomHeader';
import { isEncapsulated, transferSyntaxInfo, type PixelEncoding } from '../header/transferSyntax';
import { sniffDicom } from '../header/sniffDicom';

export interface PixelSource {
  readonly path: string;
  readonly header: DicomHeader;
  readonly encoding: PixelEncoding;
  readonly dataSet: DataSet;
  readonly pixelElement: Element;
}

/** Reads and parses `file` for decoding; throws with the file named when it cannot. */
export async function openPixelSource(file: string): Promise<PixelSource> {
  return pixelSourceFromBytes(file, await fsp.readFile(file));
}

/** Parses the bytes of `file` (already read) for decoding; throws with the file named when it cannot. */
export function pixelSourceFromBytes(file: string, bytes: Uint8Array): PixelSource {
  const name = path.basename(file);
  const read = headerFromBytes(name, bytes, bytes.length, true);
  if (read === 'need-whole-file' || read.status !== 'dicom') {
    const reason = read === 'need-whole-file' ? 'header not readable' : read.status === 'refused' ? read.reason : 'not a DICOM file';
    throw new Error(reason.startsWith(name) ? reason : `${name}: ${reason}`);
  }
  const header = read.header;
  const syntax = transferSyntaxInfo(header.transferSyntaxUid);
  if (syntax === undefined) throw new Error(`${name}: unsupported transfer syntax ${header.transferSyntaxUid}`);
  if (header.image === null) throw new Error(`${name}: not an image (no Rows, Columns or bits)`);
  const sniff = sniffDicom(bytes, bytes.length);
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      untilTag: 'x7fe00010',
      inflater: inflateDataSet,
      ...(sniff === 'part10' ? {} : { TransferSyntaxUID: header.transferSyntaxUid }),
    });
  } catch (thrown) {
    throw new Error(`${name}: not readable as DICOM (${describeParseError(thrown)})`, { cause: thrown });
  }
  const pixelElement = dataSet.elements.x7fe00010;
  if (pixelElement === undefined) throw new Error(`${name}: no pixel data`);
  if (isEncapsulated(syntax.encoding)) {
    if (pixelElement.hadUndefinedLength !== true) throw new Error(`${name}: compressed pixel data must be encapsulated (undefined length)`);
    try {
      const stream = new dicomParser.ByteStream(dataSet.byteArrayParser, dataSet.byteArray, pixelElement.dataOffset);
      dicomParser.findEndOfEncapsulatedElement(stream, pixelElement, dataSet.warnings);
    } catch (thrown) {
      throw new Error(`${name}: compressed pixel data is truncated or corrupt (${describeParseError(thrown)})`, { cause: thrown });
    }
  } else if (pixelElement.dataOffset + pixelElement.length > dataSet.byteArray.length) {
    throw new Error(`${name} is truncated: pixel data needs ${pixelElement.length} bytes, ${dataSet.byteArray.length - pixelElement.dataOffset} present`);
  }
  return { path: file, header, encoding: syntax.encoding, dataSet, pixelElement };
}

/** The encoded bytes of frame `frame` (0-based) of encapsulated pixel data. */
export function encapsulatedFrame(source: PixelSource, frame: number): Uint8Array {
  const { dataSet, pixelElement, header } = source;
  const frames = header.image?.numberOfFrames ?? 1;
  const fragments = pixelElement.fragments ?? [];
  const name = path.basename(source.path);
  if (frame < 0 || frame >= frames) throw new Error(`${name}: frame ${frame + 1} does not exist (${frames} frames)`);
  if (fragments.length === 0) throw new Error(`${name}: encapsulated pixel data has no fragments`);
  if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelElement, 0, fragments.length);
  const offsets = pixelElement.basicOffsetTable ?? [];
  if (offsets.length > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, pixelElement, frame, offsets, fragments);
  if (fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelElement, frame, 1);
  if (source.encoding.startsWith('jpeg')) {
    // No offset table and several fragments per frame: JPEG frames start with SOI.
    const table = dicomParser.createJPEGBasicOffsetTable(dataSet, pixelElement, fragments);
    return dicomParser.readEncapsulatedImageFrame(dataSet, pixelElement, frame, table, fragments);
  }
  throw new Error(`${name}: cannot tell where frame ${frame + 1} starts (no offset table, ${fragments.length} fragments for ${frames} frames)`);
}

/** The raw bytes of native pixel data (all frames). */
export function nativePixelBytes(source: PixelSource): Uint8Array {
  const { dataSet, pixelElement } = source;
  return dataSet.byteArray.subarray(pixelElement.dataOffset, pixelElement.dataOffset + pixelElement.length);
}
