/**
 * Writes a DICOM Segmentation of label volumes over a source series: checks
 * the request, numbers the chosen segments 1..N, packs the non-empty frames,
 * encodes the Part-10 file and writes it atomically.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { maxSegmentLabel, type Segment } from '../../shared/contract/labels';
import { writeFileAtomic } from '../../workspace/atomicWrite';
import { encodePart10 } from './dicomEncoder';
import { contentLabelFrom, segDataset, segmentationStorage, type WrittenSegment } from './segDataset';
import { packFrames } from './segFrames';
import type { SegmentAlgorithm } from './segmentDescription';
import type { SegSource } from './segSource';
import { implementationClassUid, implementationVersionName, newUid } from './uid';

/** One segment to export: its description, the volume holding it, and how it was made. */
export interface SegExportSegment {
  readonly segment: Segment;
  /** Flat label volume over the source's sorted grid; the segment's voxels hold `segment.label`. */
  readonly volume: Uint8Array;
  readonly algorithm: SegmentAlgorithm;
}

export interface SegExportRequest {
  readonly source: SegSource;
  readonly segments: readonly SegExportSegment[];
  readonly seriesDescription: string;
  readonly seriesNumber: number;
  readonly contentCreator: string;
  /** The app version (SoftwareVersions). */
  readonly softwareVersion: string;
  /** Defaults: now, fresh UIDs. */
  readonly now?: Date;
  readonly seriesInstanceUid?: string;
  readonly sopInstanceUid?: string;
}

/** What was written. */
export interface SegExportResult {
  readonly bytes: Uint8Array;
  readonly frames: number;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  /** Per written segment: its number in the file, its label in the app, and voxels set. */
  readonly segments: { segmentNumber: number; label: number; name: string; voxels: number; frames: number }[];
}

/** A request that cannot be exported (nothing to export, bad choices). */
export class SegExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SegExportError';
  }
}

function check(request: SegExportRequest): void {
  const { source } = request;
  const voxels = source.rows * source.columns * source.slices.length;
  if (request.segments.length === 0) throw new SegExportError('No segment was chosen for export.');
  for (const { segment, volume } of request.segments) {
    if (segment.label < 1 || segment.label > maxSegmentLabel) throw new SegExportError(`Segment "${segment.name}" has label ${segment.label}, outside 1..${maxSegmentLabel}.`);
    if (volume.length !== voxels) {
      throw new SegExportError(`The labels of segment "${segment.name}" cover ${volume.length} voxels, the series grid ${source.columns}x${source.rows}x${source.slices.length} has ${voxels}: they belong to another grid.`);
    }
  }
  if (!Number.isInteger(request.seriesNumber) || request.seriesNumber < 0 || request.seriesNumber > 2147483647) throw new SegExportError(`Series number ${request.seriesNumber} is not a whole number from 0 to 2147483647.`);
  if (request.seriesDescription.length > 64) throw new SegExportError('The series description is longer than 64 characters.');
  if (request.contentCreator.length > 64) throw new SegExportError("The creator's name is longer than 64 characters.");
}

/** Encodes the SEG of `request` (nothing is written). */
export function buildSeg(request: SegExportRequest): SegExportResult {
  check(request);
  const { source } = request;
  const written: WrittenSegment[] = request.segments.map((s, i) => ({ segmentNumber: i + 1, segment: s.segment, algorithm: s.algorithm }));
  const packed = packFrames(
    request.segments.map((s, i) => ({ segmentNumber: i + 1, volume: s.volume, value: s.segment.label })),
    source.columns,
    source.rows,
    source.slices.length,
  );
  const empty = written.filter((s) => (packed.voxelsPerSegment.get(s.segmentNumber) ?? 0) === 0);
  if (packed.frames.length === 0) throw new SegExportError(`Nothing to export: the chosen segment(s) (${written.map((s) => s.segment.name).join(', ')}) have no voxels.`);
  if (empty.length > 0) throw new SegExportError(`Nothing to export for ${empty.map((s) => `"${s.segment.name}"`).join(', ')}: no voxels. Leave empty segments out.`);
  const seriesInstanceUid = request.seriesInstanceUid ?? newUid();
  const sopInstanceUid = request.sopInstanceUid ?? newUid();
  const dataset = segDataset(source, written, packed, {
    seriesInstanceUid,
    sopInstanceUid,
    seriesDescription: request.seriesDescription,
    seriesNumber: request.seriesNumber,
    contentCreator: request.contentCreator,
    contentLabel: contentLabelFrom(request.seriesDescription),
    softwareVersion: request.softwareVersion,
    // A stable, non-identifying serial per machine (DeviceSerialNumber is type 1).
    deviceSerialNumber: createHash('sha256').update(os.hostname()).digest('hex').slice(0, 16),
    dimensionOrganizationUid: newUid(),
    now: request.now ?? new Date(),
  });
  const bytes = encodePart10(dataset, { sopClassUid: segmentationStorage, sopInstanceUid, implementationClassUid, implementationVersionName });
  return {
    bytes,
    frames: packed.frames.length,
    seriesInstanceUid,
    sopInstanceUid,
    segments: written.map((s) => ({
      segmentNumber: s.segmentNumber,
      label: s.segment.label,
      name: s.segment.name,
      voxels: packed.voxelsPerSegment.get(s.segmentNumber) ?? 0,
      frames: packed.frames.filter((frame) => frame.segmentNumber === s.segmentNumber).length,
    })),
  };
}

/** Encodes the SEG of `request` and writes it to `file` atomically. */
export async function writeSeg(file: string, request: SegExportRequest): Promise<SegExportResult> {
  const result = buildSeg(request);
  await writeFileAtomic(file, result.bytes);
  return result;
}
