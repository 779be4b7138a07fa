/**
 * The transfer syntaxes this workstation reads, and how each one's pixel
 * data is stored. A transfer syntax not listed here is refused with its UID
 * named, rather than decoded wrongly.
 */

export type PixelEncoding =
  | 'native-little'
  | 'native-big'
  | 'deflated'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg-2000'
  | 'rle';

export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly name: string;
  readonly encoding: PixelEncoding;
  /** True when the decoded pixels may differ from the acquired ones. */
  readonly lossy: boolean;
}

const table: readonly TransferSyntaxInfo[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native-little', lossy: false },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native-little', lossy: false },
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'deflated', lossy: false },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native-big', lossy: false },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-baseline', lossy: true },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg-extended', lossy: true },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpeg-lossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, First-Order Prediction (Process 14, SV1)', encoding: 'jpeg-lossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpeg-ls', lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls', lossy: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 Lossless', encoding: 'jpeg-2000', lossy: false },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'jpeg-2000', lossy: true },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', lossy: false },
];

const byUid = new Map(table.map((info) => [info.uid, info]));

/** What the workstation knows about a transfer syntax, or undefined when it cannot read it. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return byUid.get(uid);
}

export const implicitLittleEndian = '1.2.840.10008.1.2';
export const explicitLittleEndian = '1.2.840.10008.1.2.1';

/** True for transfer syntaxes whose pixel data is encapsulated (compressed fragments). */
export function isEncapsulated(encoding: PixelEncoding): boolean {
  return encoding !== 'native-little' && encoding !== 'native-big' && encoding !== 'deflated';
}
