/**
 * The bytes of a label file (docs/labels-file-format.md):
 *
 *   magic "MACL-LBL" (8 bytes) | format version u32 LE | header length u32 LE |
 *   header (UTF-8 JSON) | payload length u32 LE | payload (zlib deflate of the
 *   strokes runs then the accepted runs, 9 bytes a run) | SHA-256 of every
 *   byte before it (32 bytes)
 *
 * The header stays uncompressed so that a person can read what a file is
 * (series, revision, segments) with `head -c`. The checksum is what tells a
 * torn or damaged file from a good one: atomic writes make a torn file
 * impossible, so a mismatch means the disk or another program damaged it.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { z } from 'zod';
import { segmentListSchema, type Segment } from '../shared/contract/labels';
import { checkRuns, runsFromBytes, runsToBytes, type LabelRuns } from '../shared/labels/labelRuns';

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/** The first 8 bytes of every label file. */
export const labelFileMagic = 'MACL-LBL';
/** The format version this code writes (and the newest it reads). */
export const labelFileVersion = 1;
const checksumBytes = 32;
const runBytes = 9;

const dimension = z.number().int().positive().max(1 << 16);
const headerSchema = z
  .object({
    seriesId: z.string().min(1),
    seriesInstanceUid: z.string(),
    dimensions: z.tuple([dimension, dimension, dimension]),
    revision: z.number().int().nonnegative(),
    savedAt: z.string(),
    segments: segmentListSchema,
    strokesRunCount: z.number().int().nonnegative(),
    acceptedRunCount: z.number().int().nonnegative(),
  })
  .strict();

/** Everything a label file holds. */
export interface LabelFileContent {
  readonly seriesId: string;
  /** The series' SeriesInstanceUID when it was saved (empty for NIfTI series). */
  readonly seriesInstanceUid: string;
  readonly dimensions: readonly [number, number, number];
  readonly revision: number;
  /** ISO time of the save. */
  readonly savedAt: string;
  readonly segments: readonly Segment[];
  readonly strokes: LabelRuns;
  readonly accepted: LabelRuns;
}

/** The file's bytes do not form a valid label file (damaged, truncated, not a label file). */
export class LabelFileCorruptError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'LabelFileCorruptError';
  }
}

/** A valid label file of a format this version cannot read (written by a newer app). */
export class LabelFileTooNewError extends Error {
  constructor(readonly version: number) {
    super(`it has format version ${version}; this app reads version ${labelFileVersion} (it was written by a newer MACL Workstation)`);
    this.name = 'LabelFileTooNewError';
  }
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

/** Serialises `content` (see the module comment). */
export async function encodeLabelFile(content: LabelFileContent): Promise<Uint8Array> {
  const header = Buffer.from(
    JSON.stringify({
      seriesId: content.seriesId,
      seriesInstanceUid: content.seriesInstanceUid,
      dimensions: content.dimensions,
      revision: content.revision,
      savedAt: content.savedAt,
      segments: content.segments,
      strokesRunCount: content.strokes.starts.length,
      acceptedRunCount: content.accepted.starts.length,
    }),
    'utf8',
  );
  const payload = await deflateAsync(Buffer.concat([runsToBytes(content.strokes), runsToBytes(content.accepted)]));
  const body = Buffer.concat([Buffer.from(labelFileMagic, 'ascii'), u32(labelFileVersion), u32(header.length), header, u32(payload.length), payload]);
  const checksum = createHash('sha256').update(body).digest();
  return Buffer.concat([body, checksum]);
}

/** Parses the bytes of a label file; throws LabelFileCorruptError or LabelFileTooNewError. */
export async function decodeLabelFile(bytes: Uint8Array): Promise<LabelFileContent> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minimum = labelFileMagic.length + 12 + checksumBytes;
  if (buffer.length < minimum || buffer.toString('ascii', 0, labelFileMagic.length) !== labelFileMagic) {
    throw new LabelFileCorruptError(buffer.length < minimum ? `it is only ${buffer.length} bytes long` : 'it does not start with the label file signature');
  }
  const body = buffer.subarray(0, buffer.length - checksumBytes);
  if (!createHash('sha256').update(body).digest().equals(buffer.subarray(buffer.length - checksumBytes))) {
    throw new LabelFileCorruptError('its checksum does not match its content (the file was damaged)');
  }
  let offset = labelFileMagic.length;
  const version = buffer.readUInt32LE(offset);
  if (version > labelFileVersion) throw new LabelFileTooNewError(version);
  if (version !== labelFileVersion) throw new LabelFileCorruptError(`it has an unknown format version ${version}`);
  const headerLength = buffer.readUInt32LE(offset + 4);
  offset += 8;
  if (offset + headerLength + 4 > body.length) throw new LabelFileCorruptError('its header runs past the end of the file');
  const parsed = parseHeader(buffer.toString('utf8', offset, offset + headerLength));
  offset += headerLength;
  const payloadLength = buffer.readUInt32LE(offset);
  offset += 4;
  if (offset + payloadLength !== body.length) throw new LabelFileCorruptError('its payload length does not match the file size');
  let runs: Buffer;
  try {
    runs = await inflateAsync(body.subarray(offset));
  } catch (thrown) {
    throw new LabelFileCorruptError(`its compressed layers cannot be read (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  const strokesBytes = parsed.strokesRunCount * runBytes;
  if (runs.length !== strokesBytes + parsed.acceptedRunCount * runBytes) throw new LabelFileCorruptError('its layers do not have the size its header states');
  const [nx, ny, nz] = parsed.dimensions;
  const strokes = checkedRuns(runs.subarray(0, strokesBytes), nx * ny * nz, 'strokes');
  const accepted = checkedRuns(runs.subarray(strokesBytes), nx * ny * nz, 'accepted');
  return {
    seriesId: parsed.seriesId,
    seriesInstanceUid: parsed.seriesInstanceUid,
    dimensions: parsed.dimensions,
    revision: parsed.revision,
    savedAt: parsed.savedAt,
    segments: parsed.segments,
    strokes,
    accepted,
  };
}

function parseHeader(text: string): z.infer<typeof headerSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (thrown) {
    throw new LabelFileCorruptError(`its header is not valid JSON (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) {
    throw new LabelFileCorruptError(`its header is invalid (${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`);
  }
  return parsed.data;
}

function checkedRuns(bytes: Uint8Array, voxelCount: number, layer: string): LabelRuns {
  const runs = runsFromBytes(bytes);
  try {
    checkRuns(runs, voxelCount);
  } catch (thrown) {
    throw new LabelFileCorruptError(`its ${layer} layer is invalid (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  return runs;
}
