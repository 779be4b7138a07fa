/**
 * A small DICOM encoder (explicit VR little endian, defined lengths) for the
 * objects the workstation writes. Elements are given with their VR, so no
 * data dictionary is needed, and are written in tag order whatever order the
 * caller added them in. Text is UTF-8; the caller sets SpecificCharacterSet
 * to ISO_IR 192 when any value is not plain ASCII ({@link needsUtf8}).
 */

/** A tag as one number: group << 16 | element. */
export type Tag = number;

/** One element: bytes for a plain value, items for a sequence. */
export type DicomElement = { readonly vr: 'SQ'; readonly items: readonly DataSet[] } | { readonly vr: string; readonly bytes: Uint8Array };

/** A data set: elements by tag (any insertion order). */
export type DataSet = Map<Tag, DicomElement>;

/** VRs with a 4-byte length after two reserved bytes (PS3.5 7.1.2). */
const longVrs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const utf8 = new TextEncoder();

/** Builds a tag from its group and element numbers. */
export const tag = (group: number, element: number): Tag => ((group << 16) | element) >>> 0;

/** True when `text` has characters outside ASCII (the default character repertoire). */
export function needsUtf8(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return true;
  return false;
}

function padded(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

/** A text element; several values are joined with the backslash delimiter. */
export function text(vr: string, value: string | readonly string[]): DicomElement {
  const joined = typeof value === 'string' ? value : value.join('\\');
  return { vr, bytes: padded(utf8.encode(joined), vr === 'UI' ? 0 : 0x20) };
}

/**
 * A decimal string (DS) of at most 16 characters per value: the shortest
 * form that round-trips when it fits, else fewer significant digits.
 */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`A decimal string cannot hold ${value}.`);
  const exact = String(Object.is(value, -0) ? 0 : value);
  if (exact.length <= 16) return exact;
  for (let digits = 15; digits >= 1; digits--) {
    const candidate = String(Number(value.toPrecision(digits)));
    if (candidate.length <= 16) return candidate;
    const exponential = value.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
    if (exponential.length <= 16) return exponential;
  }
  throw new RangeError(`${value} does not fit a 16-character decimal string.`);
}

/** A DS element. */
export const decimals = (values: readonly number[]): DicomElement => text('DS', values.map(formatDecimal));
/** An IS element. */
export const integerString = (value: number): DicomElement => text('IS', String(Math.trunc(value)));

/** A US element (one or more values). */
export function us(...values: number[]): DicomElement {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint16(i * 2, value, true));
  return { vr: 'US', bytes };
}

/** A UL element (one or more values). */
export function ul(...values: number[]): DicomElement {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value, true));
  return { vr: 'UL', bytes };
}

/** An AT element: tags written as group, element pairs. */
export function attributeTags(...tags: Tag[]): DicomElement {
  const bytes = new Uint8Array(tags.length * 4);
  const view = new DataView(bytes.buffer);
  tags.forEach((value, i) => {
    view.setUint16(i * 4, value >>> 16, true);
    view.setUint16(i * 4 + 2, value & 0xffff, true);
  });
  return { vr: 'AT', bytes };
}

/** A binary element (OB, OW, ...), padded to even length with a zero byte. */
export const binary = (vr: string, bytes: Uint8Array): DicomElement => ({ vr, bytes: padded(bytes, 0) });

/** A sequence element. */
export const sequence = (items: readonly DataSet[]): DicomElement => ({ vr: 'SQ', items });

/** A data set from [tag, element] pairs. */
export const dataSet = (entries: readonly (readonly [Tag, DicomElement])[]): DataSet => new Map(entries);

/** Serialises data sets and elements; collects chunks and counts bytes. */
class ByteSink {
  readonly chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function header(tagValue: Tag, vr: string, length: number): Uint8Array {
  const long = longVrs.has(vr);
  const bytes = new Uint8Array(long ? 12 : 8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, tagValue >>> 16, true);
  view.setUint16(2, tagValue & 0xffff, true);
  bytes[4] = vr.charCodeAt(0);
  bytes[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else {
    if (length > 0xffff) throw new RangeError(`Element (${(tagValue >>> 16).toString(16)},${(tagValue & 0xffff).toString(16)}) ${vr} is ${length} bytes, more than its VR can hold.`);
    view.setUint16(6, length, true);
  }
  return bytes;
}

function itemHeader(tagValue: Tag, length: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, tagValue >>> 16, true);
  view.setUint16(2, tagValue & 0xffff, true);
  view.setUint32(4, length, true);
  return bytes;
}

/** The encoded bytes of a data set (explicit VR little endian), elements in tag order. */
export function encodeDataSet(set: DataSet): Uint8Array {
  const sink = new ByteSink();
  for (const tagValue of [...set.keys()].sort((a, b) => a - b)) {
    const element = set.get(tagValue);
    if (element === undefined) continue;
    if ('items' in element) {
      const items = element.items.map(encodeDataSet);
      const length = items.reduce((sum, item) => sum + 8 + item.length, 0);
      sink.push(header(tagValue, 'SQ', length));
      for (const item of items) {
        sink.push(itemHeader(tag(0xfffe, 0xe000), item.length));
        sink.push(item);
      }
    } else {
      sink.push(header(tagValue, element.vr, element.bytes.length));
      sink.push(element.bytes);
    }
  }
  return sink.concat();
}

const explicitVrLittleEndian = '1.2.840.10008.1.2.1';

/** What the file meta information names. */
export interface FileMeta {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly implementationClassUid: string;
  readonly implementationVersionName: string;
}

/** A DICOM Part-10 file: preamble, "DICM", file meta group, then the data set. */
export function encodePart10(set: DataSet, meta: FileMeta): Uint8Array {
  const group = encodeDataSet(
    dataSet([
      [tag(0x0002, 0x0001), binary('OB', new Uint8Array([0, 1]))],
      [tag(0x0002, 0x0002), text('UI', meta.sopClassUid)],
      [tag(0x0002, 0x0003), text('UI', meta.sopInstanceUid)],
      [tag(0x0002, 0x0010), text('UI', explicitVrLittleEndian)],
      [tag(0x0002, 0x0012), text('UI', meta.implementationClassUid)],
      [tag(0x0002, 0x0013), text('SH', meta.implementationVersionName)],
    ]),
  );
  const sink = new ByteSink();
  sink.push(new Uint8Array(128));
  sink.push(utf8.encode('DICM'));
  sink.push(encodeDataSet(dataSet([[tag(0x0002, 0x0000), ul(group.length)]])));
  sink.push(group);
  sink.push(encodeDataSet(set));
  return sink.concat();
}
