/**
 * Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99) files, made
 * plain: the metadata module's parser reads the file meta group but not a
 * deflated dataset. The dataset after the meta group is raw DEFLATE (PS3.5
 * A.5); inflate it and relabel the transfer syntax as Explicit VR Little
 * Endian, recomputing the meta group length. Any other file passes through.
 */

export const deflatedSyntax = '1.2.840.10008.1.2.1.99';
export const explicitLittleSyntax = '1.2.840.10008.1.2.1';

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR encoding. */
const longVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

interface MetaElement {
  readonly tag: number;
  readonly vr: string;
  readonly value: Uint8Array;
}

/** Reads the file meta group (0002,xxxx) after the preamble; null when the file is not Part 10. */
function readMeta(bytes: Uint8Array<ArrayBuffer>): { elements: MetaElement[]; end: number } | null {
  if (bytes.length < 132 || String.fromCharCode(...bytes.subarray(128, 132)) !== 'DICM') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const elements: MetaElement[] = [];
  let offset = 132;
  while (offset + 8 <= bytes.length && view.getUint16(offset, true) === 0x0002) {
    const tag = view.getUint32(offset, true);
    const vr = String.fromCharCode(bytes[offset + 4] ?? 0, bytes[offset + 5] ?? 0);
    const long = longVrs.has(vr);
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true);
    const start = offset + (long ? 12 : 8);
    elements.push({ tag, vr, value: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return { elements, end: offset };
}

function encodeElement({ tag, vr, value }: MetaElement): Uint8Array {
  const long = longVrs.has(vr);
  const out = new Uint8Array((long ? 12 : 8) + value.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, tag, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, value.length, true);
  else view.setUint16(6, value.length, true);
  out.set(value, long ? 12 : 8);
  return out;
}

/** A UI value: ASCII, padded with NUL to an even length. */
function uidValue(uid: string): Uint8Array {
  const padded = uid.length % 2 === 0 ? uid : `${uid}\0`;
  return Uint8Array.from(padded, (char) => char.charCodeAt(0));
}

/**
 * Inflates raw DEFLATE with the browser's own decompressor. It stops at the
 * end of the first DEFLATE stream and calls anything after it junk, so a
 * dataset written as several concatenated streams (zlib and pako read on
 * through them) cannot be read here: say so rather than show half a file.
 */
async function inflateRaw(data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  try {
    return await new Response(stream).arrayBuffer();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The deflated dataset could not be inflated in the viewer (${reason}); files written as several DEFLATE streams need inflating by the app.`, { cause: error });
  }
}

const transferSyntaxTag = 0x00100002; // (0002,0010), as read little endian: element in the high half.
const groupLengthTag = 0x00000002; // (0002,0000)

/** The file, inflated and relabelled if it is deflated; otherwise the same buffer. */
export async function inflateIfDeflated(buffer: ArrayBuffer): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(buffer);
  const meta = readMeta(bytes);
  const syntax = meta?.elements.find((element) => element.tag === transferSyntaxTag);
  if (meta === null || syntax === undefined) return buffer;
  if (String.fromCharCode(...syntax.value).replace(/[\0 ]+$/, '') !== deflatedSyntax) return buffer;
  const rest = meta.elements
    .filter((element) => element.tag !== groupLengthTag)
    .map((element) => encodeElement(element.tag === transferSyntaxTag ? { ...element, value: uidValue(explicitLittleSyntax) } : element));
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, rest.reduce((sum, element) => sum + element.length, 0), true);
  const dataset = await inflateRaw(bytes.subarray(meta.end));
  const parts = [bytes.subarray(0, 132), encodeElement({ tag: groupLengthTag, vr: 'UL', value: groupLength }), ...rest, new Uint8Array(dataset)];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out.buffer;
}
