/**
 * The label file's bytes: an exact round trip, and every kind of damage
 * detected (checksum, truncation, signature, newer format).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeLabelFile, encodeLabelFile, LabelFileCorruptError, LabelFileTooNewError, labelFileMagic, type LabelFileContent } from '../../../src-main/labels/labelFileFormat';
import { runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { segment } from './labelFixtures';

function sparseLayer(length: number, seed: number): Uint8Array {
  const layer = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < 300; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const start = state % (length - 40);
    layer.fill(1 + (state % 3 === 0 ? 254 : state % 3), start, start + (state % 37) + 1);
  }
  return layer;
}

function content(): LabelFileContent {
  const length = 32 * 32 * 8;
  return {
    seriesId: '1.2.3#2',
    seriesInstanceUid: '1.2.3',
    dimensions: [32, 32, 8],
    revision: 41,
    savedAt: '2024-05-01T10:11:12.000Z',
    segments: [segment(1, 'Liver'), segment(2, 'Spleen ü')],
    strokes: runsFromLayer(sparseLayer(length, 7)),
    accepted: runsFromLayer(sparseLayer(length, 99)),
  };
}

/** Recomputes the trailing checksum so a test can damage the body without the checksum catching it first. */
function withFreshChecksum(bytes: Uint8Array): Uint8Array {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe('label file format', () => {
  it('round-trips layers, segments and metadata exactly, compressed', async () => {
    const original = content();
    const bytes = await encodeLabelFile(original);
    expect(Buffer.from(bytes).toString('ascii', 0, 8)).toBe(labelFileMagic);
    const decoded = await decodeLabelFile(bytes);
    expect(decoded).toEqual(original);
    // Sparse labels compress: far below the 9 bytes a run of the raw form.
    const rawRunBytes = 9 * (original.strokes.starts.length + original.accepted.starts.length);
    expect(bytes.length).toBeLessThan(rawRunBytes);
  });

  it('detects a flipped bit anywhere in the file', async () => {
    const bytes = await encodeLabelFile(content());
    for (const position of [9, 20, Math.floor(bytes.length / 2), bytes.length - 40, bytes.length - 1]) {
      const damaged = Uint8Array.from(bytes);
      damaged[position] = (damaged[position] as number) ^ 0x10;
      await expect(decodeLabelFile(damaged)).rejects.toThrow(LabelFileCorruptError);
    }
  });

  it('detects truncation, a foreign file and an empty file', async () => {
    const bytes = await encodeLabelFile(content());
    await expect(decodeLabelFile(bytes.subarray(0, bytes.length - 1))).rejects.toThrow(/checksum/);
    await expect(decodeLabelFile(bytes.subarray(0, 30))).rejects.toThrow(/only 30 bytes/);
    await expect(decodeLabelFile(Buffer.from('{"not":"a label file"}'.padEnd(80, ' ')))).rejects.toThrow(/signature/);
    await expect(decodeLabelFile(new Uint8Array(0))).rejects.toThrow(LabelFileCorruptError);
  });

  it('checks the header and the layers even when the checksum matches', async () => {
    const bytes = Buffer.from(await encodeLabelFile(content()));
    const headerAt = bytes.indexOf('"revision":41');
    const badHeader = Buffer.from(bytes);
    badHeader.write('"revision":-1', headerAt, 'utf8');
    await expect(decodeLabelFile(withFreshChecksum(badHeader))).rejects.toThrow(/header is invalid.*revision/);
    const smallGrid = Buffer.from(bytes);
    smallGrid.write('[32,32,1]', smallGrid.indexOf('[32,32,8]'), 'utf8');
    await expect(decodeLabelFile(withFreshChecksum(smallGrid))).rejects.toThrow(/strokes layer is invalid.*past the volume/);
  });

  it('refuses a newer format version without calling it corrupt', async () => {
    const bytes = Buffer.from(await encodeLabelFile(content()));
    bytes.writeUInt32LE(2, 8);
    const error = await decodeLabelFile(withFreshChecksum(bytes)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LabelFileTooNewError);
    expect(String(error)).toMatch(/format version 2.*newer/);
  });
});
