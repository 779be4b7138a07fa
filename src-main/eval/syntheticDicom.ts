/**
 * Writes small, valid DICOM Part-10 files (explicit VR little endian, a CT
 * image with 16-bit pixels) without any library: fast enough to make tens of
 * thousands of files for the header-scan benchmark, and simple enough to
 * check by eye. Tests validate its output with pydicom and dcmdump.
 */

export interface SyntheticSlice {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly seriesNumber: number;
  readonly instanceNumber: number;
  readonly rows: number;
  readonly columns: number;
  /** ImagePositionPatient (mm, LPS). */
  readonly position: readonly [number, number, number];
  /** Row then column direction cosines. */
  readonly orientation: readonly [readonly [number, number, number], readonly [number, number, number]];
  readonly pixelSpacing: readonly [number, number];
  readonly sliceThickness: number;
  readonly rescaleIntercept: number;
  readonly rescaleSlope: number;
  /** rows × columns stored values (signed 16-bit). */
  readonly pixels: Int16Array;
  readonly patientName?: string;
  readonly patientId?: string;
  readonly description?: string;
}

const ctImageStorage = '1.2.840.10008.5.1.4.1.1.2';
const explicitLittle = '1.2.840.10008.1.2.1';
const longLengthVrs = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

class Writer {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  element(group: number, element: number, vr: string, value: Uint8Array): void {
    const long = longLengthVrs.has(vr);
    const head = new Uint8Array(long ? 12 : 8);
    const view = new DataView(head.buffer);
    view.setUint16(0, group, true);
    view.setUint16(2, element, true);
    head[4] = vr.charCodeAt(0);
    head[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, value.length, true);
    else view.setUint16(6, value.length, true);
    this.push(head);
    this.push(value);
  }

  text(group: number, element: number, vr: string, value: string): void {
    let text = value;
    // Even length: UIDs pad with NUL, other strings with a space.
    if (text.length % 2 === 1) text += vr === 'UI' ? '\0' : ' ';
    this.element(group, element, vr, Buffer.from(text, 'latin1'));
  }

  us(group: number, element: number, value: number): void {
    const bytes = new Uint8Array(2);
    new DataView(bytes.buffer).setUint16(0, value, true);
    this.element(group, element, 'US', bytes);
  }

  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

const ds = (values: readonly number[]): string => values.map((value) => Number(value.toFixed(6)).toString()).join('\\');

/** One CT slice as Part-10 bytes. */
export function writeSyntheticDicom(slice: SyntheticSlice): Uint8Array {
  if (slice.pixels.length !== slice.rows * slice.columns) throw new Error(`synthetic slice: ${slice.pixels.length} pixels for ${slice.columns}x${slice.rows}`);
  const meta = new Writer();
  meta.element(0x0002, 0x0001, 'OB', Uint8Array.of(0, 1));
  meta.text(0x0002, 0x0002, 'UI', ctImageStorage);
  meta.text(0x0002, 0x0003, 'UI', slice.sopInstanceUid);
  meta.text(0x0002, 0x0010, 'UI', explicitLittle);
  meta.text(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234.1');
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, meta.length, true);

  const body = new Writer();
  body.text(0x0008, 0x0016, 'UI', ctImageStorage);
  body.text(0x0008, 0x0018, 'UI', slice.sopInstanceUid);
  body.text(0x0008, 0x0020, 'DA', '20240101');
  body.text(0x0008, 0x0060, 'CS', 'CT');
  body.text(0x0008, 0x103e, 'LO', slice.description ?? 'Synthetic CT');
  body.text(0x0010, 0x0010, 'PN', slice.patientName ?? 'Synthetic^Patient');
  body.text(0x0010, 0x0020, 'LO', slice.patientId ?? 'SYN001');
  body.text(0x0018, 0x0050, 'DS', ds([slice.sliceThickness]));
  body.text(0x0020, 0x000d, 'UI', slice.studyInstanceUid);
  body.text(0x0020, 0x000e, 'UI', slice.seriesInstanceUid);
  body.text(0x0020, 0x0011, 'IS', String(slice.seriesNumber));
  body.text(0x0020, 0x0013, 'IS', String(slice.instanceNumber));
  body.text(0x0020, 0x0032, 'DS', ds(slice.position));
  body.text(0x0020, 0x0037, 'DS', ds([...slice.orientation[0], ...slice.orientation[1]]));
  body.text(0x0020, 0x0052, 'UI', `${slice.studyInstanceUid}.9`);
  body.us(0x0028, 0x0002, 1);
  body.text(0x0028, 0x0004, 'CS', 'MONOCHROME2');
  body.us(0x0028, 0x0010, slice.rows);
  body.us(0x0028, 0x0011, slice.columns);
  body.text(0x0028, 0x0030, 'DS', ds(slice.pixelSpacing));
  body.us(0x0028, 0x0100, 16);
  body.us(0x0028, 0x0101, 16);
  body.us(0x0028, 0x0102, 15);
  body.us(0x0028, 0x0103, 1);
  body.text(0x0028, 0x1052, 'DS', ds([slice.rescaleIntercept]));
  body.text(0x0028, 0x1053, 'DS', ds([slice.rescaleSlope]));
  body.element(0x7fe0, 0x0010, 'OW', new Uint8Array(slice.pixels.buffer, slice.pixels.byteOffset, slice.pixels.byteLength));

  const file = new Writer();
  file.push(new Uint8Array(128));
  file.push(Buffer.from('DICM', 'latin1'));
  file.element(0x0002, 0x0000, 'UL', groupLength);
  file.push(meta.bytes());
  file.push(body.bytes());
  return file.bytes();
}
