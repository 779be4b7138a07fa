/**
 * The bytes the viewer gets for a slice file. Deflated Explicit VR Little
 * Endian files are inflated here and relabelled Explicit VR Little Endian:
 * the browser's decompressor (used by the cornerstone loader) stops after
 * the first DEFLATE stream, and some writers concatenate several; node:zlib
 * inflateRawSync reads them all. Every other file is passed through as is.
 */
import { inflateRawSync } from 'node:zlib';

const deflatedSyntax = '1.2.840.10008.1.2.1.99';
const explicitLittleSyntax = '1.2.840.10008.1.2.1';
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
 * `bytes` unchanged unless its file meta says Deflated Explicit VR Little
 * Endian; then the data set inflated (all DEFLATE streams) behind a meta
 * group that says Explicit VR Little Endian, with (0002,0000) recomputed.
 */
export function viewerFileBytes(bytes: Uint8Array): Uint8Array {
  const meta = readMeta(bytes);
  if (meta === null) return bytes;
  const syntax = meta.elements.find((e) => e.element === 0x0010);
  if (syntax === undefined || uidText(syntax) !== deflatedSyntax) return bytes;
  const inflated = inflateRawSync(bytes.subarray(meta.end));
  const parts = meta.elements.map((e) => (e.element === 0x0010 ? uiElement(0x0010, explicitLittleSyntax) : e.bytes));
  const metaLength = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(132 + metaLength + inflated.length);
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
  out.set(inflated, position);
  return out;
}
