/**
 * Reading values from a dicom-parser DataSet: text in the file's character
 * set (dicom-parser itself reads every byte as one Latin-1 character, which
 * garbles UTF-8 patient names), and multi-valued decimal strings.
 */
import { TextDecoder } from 'node:util';
import type { DataSet } from 'dicom-parser';

/** SpecificCharacterSet defined terms to WHATWG encoding labels (single-byte and UTF-8 sets). */
const charsets: Readonly<Record<string, string>> = {
  'ISO_IR 192': 'utf-8',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** A decoder for the data set's SpecificCharacterSet (0008,0005); Latin-1 when unknown or absent. */
export function textDecoderFor(dataSet: DataSet): TextDecoder {
  // Code extensions (ISO 2022, several values) are rare in CT/MR headers: the
  // first value decides, which is right for the ASCII parts and most names.
  const first = dataSet.string('x00080005', 0)?.trim() ?? '';
  const label = charsets[first] ?? 'latin1';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('latin1');
  }
}

/** The element's text, decoded and with padding (spaces, NULs) trimmed; '' when absent. */
export function readText(dataSet: DataSet, tag: string, decoder: TextDecoder): string {
  const element = dataSet.elements[tag];
  if (element === undefined || element.length === 0 || element.length === 0xffffffff) return '';
  const end = element.dataOffset + element.length;
  if (end > dataSet.byteArray.length) return '';
  const raw = decoder.decode(dataSet.byteArray.subarray(element.dataOffset, end));
  return raw.replace(/[\0 ]+$/, '').replace(/^ +/, '');
}

/** All values of a DS/IS element as numbers (non-numeric values are dropped); [] when absent. */
export function readNumbers(dataSet: DataSet, tag: string): number[] {
  const element = dataSet.elements[tag];
  if (element === undefined || element.length === 0) return [];
  const text = dataSet.string(tag);
  if (text === undefined) return [];
  const values: number[] = [];
  for (const part of text.split('\\')) {
    const value = Number.parseFloat(part.trim());
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** The first value of a DS/IS element, or null. */
export function readNumber(dataSet: DataSet, tag: string): number | null {
  return readNumbers(dataSet, tag)[0] ?? null;
}

/** A US element's value, or null. */
export function readUint16(dataSet: DataSet, tag: string): number | null {
  const element = dataSet.elements[tag];
  if (element === undefined || element.length < 2) return null;
  return dataSet.uint16(tag) ?? null;
}

/** DICOM person name (Family^Given^Middle^Prefix^Suffix) as "Family, Given Middle". */
export function formatPersonName(raw: string): string {
  const alphabetic = raw.split('=')[0] ?? '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((part) => part.trim());
  const rest = [prefix, given, middle, suffix].filter((part) => part !== '').join(' ');
  if (family === '') return rest;
  return rest === '' ? family : `${family}, ${rest}`;
}
