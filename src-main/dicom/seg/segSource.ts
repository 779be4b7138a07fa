/**
 * The source series of a segmentation, read back from its files: per sorted
 * slice the SOP instance (and frame) it came from and the slice's own
 * ImagePositionPatient, plus what the whole series shares. Reading the files
 * again (rather than trusting the index) is what lets an export refuse
 * sources that went missing or changed since they were labelled.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SeriesGeometry } from '../../shared/contract/series';
import { frameGeometry, type DicomHeader } from '../header/dicomHeader';
import { readDicomHeader } from '../header/readDicomHeader';
import { cross, dot, normalize, type Vec3 } from '../../shared/geometry/vec3';
import type { DicomElement, Tag } from './dicomEncoder';
import { readPatientStudyElements } from './patientStudyAttributes';

/** One slice of the sorted grid, as a SEG frame references it. */
export interface SourceSlice {
  readonly path: string;
  /** 0-based frame in a multi-frame file; null for single-frame files. */
  readonly frame: number | null;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** This slice's ImagePositionPatient (mm, LPS); null when the source has none. */
  readonly position: Vec3 | null;
}

/** The source series as the SEG writer and reader need it. */
export interface SegSource {
  readonly slices: readonly SourceSlice[];
  readonly rows: number;
  readonly columns: number;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** '' when the source has none. */
  readonly frameOfReferenceUid: string;
  /** Row and column direction cosines; null when the source has none. */
  readonly orientation: readonly [Vec3, Vec3] | null;
  /** [row spacing, column spacing] (mm); null when the source has none. */
  readonly pixelSpacing: readonly [number, number] | null;
  readonly sliceThickness: number | null;
  /** Distance between sorted slice centres (mm). */
  readonly spacingBetweenSlices: number;
  /** Patient and study attributes to copy into derived objects. */
  readonly patientStudy: ReadonlyMap<Tag, DicomElement>;
}

/** What the caller knows about the series, to check the files against. */
export interface SegSourceExpectation {
  readonly seriesInstanceUid: string;
  readonly geometry: SeriesGeometry;
  /** Position of each sorted slice along the normal (mm), as indexed. */
  readonly positionsMm?: readonly (number | null)[];
  /** The SOP Instance UID of each sorted slice when the labels were made, when known. */
  readonly sopInstanceUids?: readonly string[];
}

/** A source that cannot be used, with a message naming the file and cause. */
export class SegSourceError extends Error {
  constructor(
    readonly code: 'missing' | 'changed' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'SegSourceError';
  }
}

const samePositionMm = 1e-3;

async function readHeaders(files: readonly string[]): Promise<Map<string, DicomHeader>> {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).join(', ');
    throw new SegSourceError('missing', `${missing.length} of the ${files.length} source file(s) are missing (${names}${missing.length > 5 ? ', …' : ''}): restore them or re-import the series.`);
  }
  const headers = new Map<string, DicomHeader>();
  for (const file of files) {
    const read = await readDicomHeader(file);
    if (read.status !== 'dicom') {
      throw new SegSourceError('unreadable', read.status === 'refused' ? `Source file ${read.reason}` : `Source file ${file} is no longer a DICOM file.`);
    }
    headers.set(file, read.header);
  }
  return headers;
}

/**
 * Reads the sorted slices `slices` of a series and checks them against what
 * was indexed: the same series, size and orientation, each slice at its
 * indexed position, and (when given) the same SOP instances.
 */
export async function readSegSource(slices: readonly { path: string; frame: number | null }[], expected: SegSourceExpectation): Promise<SegSource> {
  const [nx, ny, nz] = expected.geometry.dimensions;
  if (slices.length !== nz) throw new SegSourceError('changed', `The series index lists ${slices.length} slices, its grid has ${nz}.`);
  const headers = await readHeaders([...new Set(slices.map((slice) => slice.path))]);
  const normal = expected.geometry.direction[2];
  const sourceSlices: SourceSlice[] = slices.map((slice, k) => {
    const header = headers.get(slice.path);
    if (header === undefined) throw new SegSourceError('unreadable', `No header for ${slice.path}.`);
    const where = `${path.basename(slice.path)}${slice.frame === null ? '' : ` frame ${slice.frame + 1}`} (slice ${k + 1})`;
    if (header.seriesInstanceUid !== expected.seriesInstanceUid) {
      throw new SegSourceError('changed', `Source file ${where} now belongs to series ${header.seriesInstanceUid}, not ${expected.seriesInstanceUid}: it changed since it was labelled.`);
    }
    if (header.image === null || header.image.columns !== nx || header.image.rows !== ny) {
      throw new SegSourceError('changed', `Source file ${where} is ${header.image?.columns ?? 0}x${header.image?.rows ?? 0}, the labelled grid is ${nx}x${ny}: it changed since it was labelled.`);
    }
    const frames = header.image.numberOfFrames;
    if (slice.frame !== null && slice.frame >= frames) throw new SegSourceError('changed', `Source file ${where} has only ${frames} frame(s): it changed since it was labelled.`);
    const wantedUid = expected.sopInstanceUids?.[k];
    if (wantedUid !== undefined && wantedUid !== header.sopInstanceUid) {
      throw new SegSourceError('changed', `Source file ${where} holds SOP instance ${header.sopInstanceUid}, the labels were made on ${wantedUid}: the file changed since it was labelled.`);
    }
    const geometry = frameGeometry(header, slice.frame ?? 0);
    const position = geometry.position;
    const indexed = expected.positionsMm?.[k];
    if (position !== null && indexed !== undefined && indexed !== null && Math.abs(dot(position, normal) - indexed) > samePositionMm) {
      throw new SegSourceError('changed', `Source file ${where} is now at ${dot(position, normal).toFixed(3)} mm along the slice normal, it was at ${indexed.toFixed(3)} mm when labelled: it changed.`);
    }
    return { path: slice.path, frame: slice.frame, sopClassUid: header.sopClassUid, sopInstanceUid: header.sopInstanceUid, position };
  });
  const firstSlice = slices[0];
  const first = firstSlice === undefined ? undefined : headers.get(firstSlice.path);
  if (firstSlice === undefined || first === undefined) throw new SegSourceError('changed', 'The series has no slices.');
  const firstGeometry = frameGeometry(first, firstSlice.frame ?? 0);
  const orientation = firstGeometry.orientation;
  if (orientation !== null) {
    const fileNormal = normalize(cross(orientation[0], orientation[1]));
    if (Math.abs(dot(fileNormal, normal) - 1) > 1e-4) throw new SegSourceError('changed', `The source slices are no longer oriented as when they were labelled (${path.basename(firstSlice.path)}).`);
  }
  const uids = new Set(sourceSlices.map((slice) => `${slice.sopInstanceUid}/${slice.frame ?? ''}`));
  if (uids.size !== sourceSlices.length) throw new SegSourceError('changed', 'Two sorted slices are the same SOP instance and frame: the files changed since they were labelled.');
  return {
    slices: sourceSlices,
    rows: ny,
    columns: nx,
    studyInstanceUid: first.studyInstanceUid,
    seriesInstanceUid: first.seriesInstanceUid,
    frameOfReferenceUid: first.frameOfReferenceUid,
    orientation,
    pixelSpacing: firstGeometry.pixelSpacing,
    sliceThickness: first.sliceThickness,
    spacingBetweenSlices: expected.geometry.spacingMm[2],
    patientStudy: await readPatientStudyElements(firstSlice.path),
  };
}
