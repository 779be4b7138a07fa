/**
 * The bytes the viewer gets for a slice file. Two kinds of file are rewritten
 * as Explicit VR Little Endian before they reach the viewer, because its
 * decoders (cornerstone's dicom-image-loader) read them wrongly:
 * - Deflated Explicit VR Little Endian is inflated here: the browser's
 *   decompressor stops after the first DEFLATE stream, and some writers
 *   concatenate several; node:zlib inflateRawSync reads them all.
 * - 12-bit JPEG Extended (process 2 & 4) is decoded here by the main
 *   process's decoder (the one the trainer, thumbnails and exports use, which
 *   agrees exactly with dcmtk's dcmdjpeg) and served as native pixels: the
 *   viewer's codec for it is an 8-bit one scaled to 12 bits and shows every
 *   sample 9 to 15 units too high (tests/unit/dicom/jpeg12Parity.test.ts).
 * Every other file is passed through as is.
 */
import { inflateRawSync } from 'node:zlib';
import { decodeFrame } from './pixelDecode';
import { pixelSourceFromBytes } from './pixelSource';

const deflatedSyntax = '1.2.840.10008.1.2.1.99';
const explicitLittleSyntax = '1.2.840.10008.1.2.1';
const jpegExtendedSyntax = '1.2.840.10008.1.2.4.51';
/** VRs whose explicit-VR header is 2 reserved bytes then a 4-byte length. */
const longLengthVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

interface MetaElement {
  readonly element: number;
  /** The whole element: header and value. */
  readonly bytes: Uint8Array;
  readonly valueOffset: number;
  readonly valueLength: number;
}

/** The file meta group's elements (after the preamble and "DICM"), or null when it cannot be read. */
function readMeta(bytes: Uint8Array): { elements: MetaElement[]; end: number } | null {
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements: MetaElement[] = [];
  let position = 132;
  while (position + 8 <= bytes.length && view.getUint16(position, true) === 0x0002) {
    const element = view.getUint16(position + 2, true);
    const vr = String.fromCharCode(bytes[position + 4] ?? 0, bytes[position + 5] ?? 0);
    const long = longLengthVrs.has(vr);
    if (long && position + 12 > bytes.length) return null;
    const valueOffset = long ? 12 : 8;
    const valueLength = long ? view.getUint32(position + 8, true) : view.getUint16(position + 6, true);
    const end = position + valueOffset + valueLength;
    if (valueLength === 0xffffffff || end > bytes.length) return null;
    elements.push({ element, bytes: bytes.subarray(position, end), valueOffset, valueLength });
    position = end;
  }
  return { elements, end: position };
}

function uidText(element: MetaElement): string {
  return String.fromCharCode(...element.bytes.subarray(element.valueOffset)).replace(/[\0 ]+$/, '');
}

/** A short-length explicit-VR element (UI here). */
function uiElement(element: number, text: string): Uint8Array {
  const padded = text.length % 2 === 0 ? text : `${text}\0`;
  const out = new Uint8Array(8 + padded.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, element, true);
  out[4] = 'U'.charCodeAt(0);
  out[5] = 'I'.charCodeAt(0);
  view.setUint16(6, padded.length, true);
  for (let i = 0; i < padded.length; i += 1) out[8 + i] = padded.charCodeAt(i);
  return out;
}

/**
 * The file with its meta group saying `syntax` and `dataSet` (the bytes after
 * the meta group) as its data set, (0002,0000) recomputed.
 */
function withTransferSyntax(bytes: Uint8Array, meta: { elements: MetaElement[] }, syntax: string, dataSet: Uint8Array): Uint8Array {
  const parts = meta.elements.map((e) => (e.element === 0x0010 ? uiElement(0x0010, syntax) : e.bytes));
  const metaLength = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(132 + metaLength + dataSet.length);
  out.set(bytes.subarray(0, 132), 0);
  let position = 132;
  let groupLengthValue = -1;
  meta.elements.forEach((e, i) => {
    const part = parts[i] ?? e.bytes;
    if (e.element === 0x0000 && e.valueLength === 4) groupLengthValue = position + e.valueOffset;
    out.set(part, position);
    position += part.length;
  });
  if (groupLengthValue >= 0) {
    // Counts the bytes after the group length element up to the end of the group.
    new DataView(out.buffer).setUint32(groupLengthValue, position - (groupLengthValue + 4), true);
  }
  out.set(dataSet, position);
  return out;
}

/** An explicit-VR OW element header for (7FE0,0010) with a defined length. */
function nativePixelDataHeader(length: number): Uint8Array {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setUint16(0, 0x7fe0, true);
  view.setUint16(2, 0x0010, true);
  header[4] = 'O'.charCodeAt(0);
  header[5] = 'W'.charCodeAt(0);
  view.setUint32(8, length, true);
  return header;
}

/**
 * A 12-bit (or 9 to 16-bit) JPEG Extended file with its encapsulated pixel
 * data replaced by the frames as the main process decodes them, native and
 * little endian; null when the file is 8-bit (the viewer's 8-bit codec is
 * right) or cannot be decoded here (the viewer then reports it itself).
 */
async function decodedExtendedJpeg(bytes: Uint8Array, meta: { elements: MetaElement[]; end: number }, name: string): Promise<Uint8Array | null> {
  let source;
  try {
    source = pixelSourceFromBytes(name, bytes);
  } catch {
    return null;
  }
  const image = source.header.image;
  if (image === null || image.bitsStored <= 8) return null;
  const element = source.pixelElement;
  const start = element.dataOffset - 12;
  const end = element.dataOffset + element.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The encapsulated element must sit where the parser says: (7FE0,0010) OB, undefined length.
  if (start < meta.end || end > bytes.length || view.getUint16(start, true) !== 0x7fe0 || view.getUint16(start + 2, true) !== 0x0010 || view.getUint32(start + 8, true) !== 0xffffffff) return null;
  const frames: Uint8Array[] = [];
  try {
    for (let frame = 0; frame < image.numberOfFrames; frame += 1) {
      const { pixels } = await decodeFrame(source, frame);
      // Typed arrays use the platform's byte order, little endian on every platform Electron ships for.
      frames.push(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength));
    }
  } catch {
    return null;
  }
  const pixelLength = frames.reduce((sum, f) => sum + f.length, 0);
  const padded = pixelLength + (pixelLength % 2);
  const before = bytes.subarray(meta.end, start);
  const after = bytes.subarray(end);
  const dataSet = new Uint8Array(before.length + 12 + padded + after.length);
  dataSet.set(before, 0);
  let position = before.length;
  dataSet.set(nativePixelDataHeader(padded), position);
  position += 12;
  for (const f of frames) {
    dataSet.set(f, position);
    position += f.length;
  }
  dataSet.set(after, before.length + 12 + padded);
  return withTransferSyntax(bytes, meta, explicitLittleSyntax, dataSet);
}

/**
 * `bytes` unchanged unless its file meta says Deflated Explicit VR Little
 * Endian (then the data set inflated, all DEFLATE streams) or JPEG Extended
 * with more than 8 bits stored (then decoded to native pixels); either way
 * relabelled Explicit VR Little Endian. `name` names the file in errors.
 */
export async function viewerFileBytes(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  const meta = readMeta(bytes);
  if (meta === null) return bytes;
  const syntax = meta.elements.find((e) => e.element === 0x0010);
  const uid = syntax === undefined ? '' : uidText(syntax);
  if (uid === deflatedSyntax) return withTransferSyntax(bytes, meta, explicitLittleSyntax, inflateRawSync(bytes.subarray(meta.end)));
  if (uid === jpegExtendedSyntax) return (await decodedExtendedJpeg(bytes, meta, name)) ?? bytes;
  return bytes;
}
