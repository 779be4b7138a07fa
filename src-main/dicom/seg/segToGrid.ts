/**
 * Places the frames of a read segmentation onto a source series' sorted
 * grid: each frame by the source instance (and frame) it references and,
 * failing that, by its ImagePositionPatient in the series' plane. A frame
 * whose reference and position disagree (a SEG mirrored or shifted by the
 * tool that wrote it) is refused rather than guessed at, as is a SEG of
 * another series, frame of reference or grid.
 */
import path from 'node:path';
import { maxSegmentLabel } from '../../shared/contract/labels';
import { dot, norm, sub, type Vec3 } from '../../shared/geometry/vec3';
import { SegReadError, type ReadSeg } from './segReader';
import type { SegSource } from './segSource';

/** The label volume over the source grid and what happened on the way. */
export interface GridLabels {
  /** i + j*nx + k*nx*ny, value = the label of the segment (0: none). */
  readonly labels: Uint8Array;
  /** Frames placed by their referenced instance, and by position only. */
  readonly placedByReference: number;
  readonly placedByPosition: number;
  /** Voxels claimed by more than one segment (the later segment number kept). */
  readonly overlappingVoxels: number;
}

const key = (sopInstanceUid: string, frame: number | null): string => `${sopInstanceUid}/${frame ?? ''}`;

function parallel(a: readonly [Vec3, Vec3], b: readonly [Vec3, Vec3]): boolean {
  return Math.abs(dot(a[0], b[0]) - 1) < 1e-4 && Math.abs(dot(a[1], b[1]) - 1) < 1e-4;
}

function checkSameSeries(seg: ReadSeg, source: SegSource): void {
  const name = path.basename(seg.file);
  const referencesInstances = new Set(source.slices.map((slice) => slice.sopInstanceUid));
  const anyReference = seg.frames.some((frame) => frame.referencedSopInstanceUid !== null && referencesInstances.has(frame.referencedSopInstanceUid));
  if (seg.referencedSeriesUids.length > 0 && !seg.referencedSeriesUids.includes(source.seriesInstanceUid) && !anyReference) {
    throw new SegReadError(`${name} segments series ${seg.referencedSeriesUids.join(', ')}, not this series (${source.seriesInstanceUid}).`);
  }
  if (seg.frameOfReferenceUid !== '' && source.frameOfReferenceUid !== '' && seg.frameOfReferenceUid !== source.frameOfReferenceUid) {
    throw new SegReadError(`${name} is in frame of reference ${seg.frameOfReferenceUid}, this series in ${source.frameOfReferenceUid}: it belongs to another acquisition.`);
  }
  if (seg.rows !== source.rows || seg.columns !== source.columns) {
    throw new SegReadError(`${name} has frames of ${seg.columns}x${seg.rows}, the series' slices are ${source.columns}x${source.rows}: it was made on another grid.`);
  }
  if (seg.orientation !== null && source.orientation !== null && !parallel(seg.orientation, source.orientation)) {
    throw new SegReadError(`${name}: its frames are not in the plane of the series' slices (another orientation).`);
  }
}

/** Maps `seg` onto `source`'s grid; `labelOf` gives the label of each segment number (default: the number). */
export function segToGrid(seg: ReadSeg, source: SegSource, labelOf: (segmentNumber: number) => number = (n) => n): GridLabels {
  checkSameSeries(seg, source);
  const name = path.basename(seg.file);
  const plane = source.rows * source.columns;
  const byReference = new Map(source.slices.map((slice, k) => [key(slice.sopInstanceUid, slice.frame), k]));
  const spacing = Math.min(source.pixelSpacing?.[0] ?? 1, source.pixelSpacing?.[1] ?? 1, source.spacingBetweenSlices > 0 ? source.spacingBetweenSlices : 1);
  const tolerance = Math.max(1e-3, 0.1 * spacing);
  const byPosition = (position: Vec3): number[] =>
    source.slices.flatMap((slice, k) => (slice.position !== null && norm(sub(slice.position, position)) <= tolerance ? [k] : []));
  const labels = new Uint8Array(plane * source.slices.length);
  let placedByReference = 0;
  let placedByPosition = 0;
  let overlappingVoxels = 0;
  const unplaced: number[] = [];
  seg.frames.forEach((frame, f) => {
    let k: number | undefined;
    if (frame.referencedSopInstanceUid !== null) {
      // A single-frame source is referenced without a frame number; a multi-frame one with it.
      k = byReference.get(key(frame.referencedSopInstanceUid, frame.referencedFrame === null ? null : frame.referencedFrame - 1)) ?? byReference.get(key(frame.referencedSopInstanceUid, null));
      if (k === undefined && frame.referencedFrame === null) k = byReference.get(key(frame.referencedSopInstanceUid, 0));
    }
    if (k !== undefined) {
      const slicePosition = source.slices[k]?.position ?? null;
      if (frame.position !== null && slicePosition !== null && norm(sub(slicePosition, frame.position)) > tolerance) {
        throw new SegReadError(
          `${name}: frame ${f + 1} references slice ${k + 1} of the series but lies at (${frame.position.map((v) => v.toFixed(2)).join(', ')}), ${norm(sub(slicePosition, frame.position)).toFixed(2)} mm away from it: the segmentation contradicts itself (mirrored or shifted), so it is not imported.`,
        );
      }
      placedByReference++;
    } else if (frame.position !== null) {
      const matches = byPosition(frame.position);
      if (matches.length === 1) {
        k = matches[0];
        placedByPosition++;
      }
    }
    if (k === undefined) {
      unplaced.push(f + 1);
      return;
    }
    const label = labelOf(frame.segmentNumber);
    if (!Number.isInteger(label) || label < 1 || label > maxSegmentLabel) throw new SegReadError(`${name}: segment ${frame.segmentNumber} cannot be given label ${label} (1..${maxSegmentLabel}).`);
    const offset = k * plane;
    for (let p = 0; p < plane; p++) {
      if (frame.pixels[p] !== 1) continue;
      const previous = labels[offset + p] as number;
      if (previous !== 0 && previous !== label) overlappingVoxels++;
      labels[offset + p] = label;
    }
  });
  if (unplaced.length > 0) {
    throw new SegReadError(
      `${name}: ${unplaced.length} of ${seg.frames.length} frame(s) (${unplaced.slice(0, 5).join(', ')}${unplaced.length > 5 ? ', …' : ''}) match no slice of this series, by referenced instance or by position.`,
    );
  }
  return { labels, placedByReference, placedByPosition, overlappingVoxels };
}
