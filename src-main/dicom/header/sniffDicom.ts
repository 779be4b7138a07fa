/**
 * Telling DICOM from everything else by the first bytes: a Part-10 file has
 * "DICM" after a 128-byte preamble; an older raw data set (no preamble, no
 * meta header) starts with a group 0002..0010 element, in implicit or
 * explicit VR little endian. Anything else is not DICOM.
 */

export type DicomSniff = 'part10' | 'raw-implicit' | 'raw-explicit' | 'none';

const knownVrs = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/** Classifies a file from its first bytes (at least 132 when the file is that long). */
export function sniffDicom(head: Uint8Array, fileSize: number): DicomSniff {
  if (head.length >= 132 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d) return 'part10';
  if (head.length < 8) return 'none';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const group = view.getUint16(0, true);
  if (group < 0x0002 || group > 0x0010 || group % 2 !== 0) return 'none';
  const vr = String.fromCharCode(head[4] ?? 0, head[5] ?? 0);
  if (knownVrs.has(vr)) return 'raw-explicit';
  const length = view.getUint32(4, true);
  return length !== 0xffffffff && length > fileSize ? 'none' : 'raw-implicit';
}
