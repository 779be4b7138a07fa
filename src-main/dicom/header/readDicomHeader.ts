/**
 * Reads one file's DICOM header without its pixel data: the first 64 KiB
 * are parsed up to the Pixel Data element, and only when the header is
 * longer than that (enhanced objects, big private blocks) the whole file.
 * The pixel data is checked for completeness without reading it: native
 * data by its length, compressed data by walking its fragment headers.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { checkEncapsulated } from './encapsulatedCheck';
import { describeParseError, headerFromBytes, type HeaderRead } from './parseDicomHeader';
import { isEncapsulated, transferSyntaxInfo } from './transferSyntax';

export type { HeaderRead } from './parseDicomHeader';

const headChunk = 64 * 1024;

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

async function verifyPixelData(handle: FileHandle, name: string, result: HeaderRead, head: Uint8Array): Promise<HeaderRead> {
  if (result.status !== 'dicom') return result;
  const { header, fileSize } = result;
  const syntax = transferSyntaxInfo(header.transferSyntaxUid);
  const pixelData = header.pixelData;
  if (header.kind !== 'image' || syntax === undefined || !isEncapsulated(syntax.encoding) || pixelData === null || pixelData.length !== null) return result;
  const problem = await checkEncapsulated(
    (offset, length) => (offset + length <= head.length ? Promise.resolve(head.subarray(offset, offset + length)) : readAt(handle, offset, length)),
    pixelData.offset,
    fileSize,
  );
  return problem === null ? result : { status: 'refused', reason: `${name}: ${problem}` };
}

/** Reads the header of `file`; never throws for file content, only reports. */
export async function readDicomHeader(file: string): Promise<HeaderRead> {
  const name = path.basename(file);
  let handle: FileHandle | null = null;
  try {
    handle = await fsp.open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return { status: 'refused', reason: `${name}: not a regular file` };
    const size = stat.size;
    let head = await readAt(handle, 0, Math.min(size, headChunk));
    let result = headerFromBytes(name, head, size, head.length === size);
    if (result === 'need-whole-file') {
      head = await readAt(handle, 0, size);
      result = headerFromBytes(name, head, size, true);
    }
    if (result === 'need-whole-file') return { status: 'refused', reason: `${name}: header not readable` };
    return await verifyPixelData(handle, name, result, head);
  } catch (thrown) {
    return { status: 'refused', reason: `${name}: ${describeParseError(thrown)}` };
  } finally {
    await handle?.close();
  }
}
