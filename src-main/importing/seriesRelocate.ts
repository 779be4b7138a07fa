/**
 * Finds the files of a series that moved: walks the folder the user names,
 * reads the headers there, and matches each indexed file by its SOP Instance
 * UID and frame count (for indexes written before UIDs were kept: by series
 * UID, file name and slice position). Only a complete match is returned, so
 * the index is never half relocated; otherwise the user hears how many files
 * were found and which are still missing.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { IndexedSeries, IndexedSlice } from '../workspace/seriesIndex';
import type { CancelLike } from '../shared/cancellation';
import { throwIfCancelled } from '../shared/cancellation';
import { walkFiles } from './fileWalker';
import { relocateNiftiFile } from './niftiRelocate';
import type { RelocateOutcome } from './relocateOutcome';
import { isNiftiPath } from '../nifti/niftiVolume';
import { readDicomHeader } from '../dicom/header/readDicomHeader';
import type { HeaderFile } from '../dicom/series/sliceRef';
import { filesOf } from './seriesFileCheck';
import { dot, type Vec3 } from '../shared/geometry/vec3';
import { mapPool } from '../shared/workPool';

/** Slice positions closer than this are the same position (as when the series was sorted). */
const samePositionMm = 0.01;

/** The series as the user knows it, for messages. */
export function seriesLabel(entry: IndexedSeries): string {
  const { description, seriesNumber, seriesId } = entry.summary;
  const name = description !== '' ? `"${description}"` : seriesId;
  return seriesNumber === null ? name : `${name} (series ${seriesNumber})`;
}

/** Refuses unless `folder` is an existing folder. */
async function folderProblem(folder: string): Promise<string | null> {
  try {
    if (!(await fsp.stat(folder)).isDirectory()) return `${folder} is a file, not a folder: name the folder that holds the series' files.`;
    return null;
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `The folder ${folder} does not exist.` : `The folder ${folder} cannot be read (${code ?? String(thrown)}).`;
  }
}

/** The header file that matches the indexed file `slices[0].path`, or undefined. */
function matchFile(slices: readonly IndexedSlice[], entry: IndexedSeries, byUid: Map<string, HeaderFile[]>, byName: Map<string, HeaderFile[]>): HeaderFile | undefined {
  const first = slices[0];
  if (first === undefined) return undefined;
  const framesOf = (file: HeaderFile): number => file.header.image?.numberOfFrames ?? 1;
  const maxFrame = Math.max(...slices.map((slice) => slice.frame ?? 0));
  const framesFit = (file: HeaderFile): boolean => (first.fileFrames === undefined ? framesOf(file) > maxFrame : framesOf(file) === first.fileFrames);
  if (first.sopInstanceUid !== undefined) return byUid.get(first.sopInstanceUid)?.find(framesFit);
  // An index from before UIDs were kept: same series, same name, same position.
  const normal: Vec3 | undefined = entry.summary.geometry?.direction[2];
  return byName.get(path.basename(first.path))?.find((file) => {
    if (file.header.seriesInstanceUid !== entry.summary.seriesInstanceUid || !framesFit(file)) return false;
    const position = file.header.geometry.position;
    if (first.frame !== null || first.positionMm === null || normal === undefined || position === null) return true;
    return Math.abs(dot(position, normal) - first.positionMm) <= samePositionMm;
  });
}

/** Finds every file of `entry` under `folder` (see the module comment). */
export async function relocateSeriesFiles(entry: IndexedSeries, folder: string, signal?: CancelLike): Promise<RelocateOutcome> {
  const problem = await folderProblem(folder);
  if (problem !== null) return { refused: problem, code: 'bad-request' };
  if (entry.summary.source === 'nifti') return relocateNiftiFile(entry, folder);
  const walk = await walkFiles([folder], signal === undefined ? {} : { signal });
  throwIfCancelled(signal, 'Relocating');
  const headers = await mapPool(walk.files.filter((file) => !isNiftiPath(file)), 8, async (file) => {
    const read = await readDicomHeader(file);
    return read.status === 'dicom' ? { path: file, header: read.header } : null;
  }, signal);
  throwIfCancelled(signal, 'Relocating');
  const dicom = headers.filter((file): file is HeaderFile => file !== null && file !== undefined);
  const byUid = new Map<string, HeaderFile[]>();
  const byName = new Map<string, HeaderFile[]>();
  for (const file of dicom) {
    byUid.set(file.header.sopInstanceUid, [...(byUid.get(file.header.sopInstanceUid) ?? []), file]);
    byName.set(path.basename(file.path), [...(byName.get(path.basename(file.path)) ?? []), file]);
  }
  const slicesByFile = new Map<string, IndexedSlice[]>();
  for (const slice of entry.slices) slicesByFile.set(slice.path, [...(slicesByFile.get(slice.path) ?? []), slice]);
  const found = new Map<string, HeaderFile>();
  const missing: string[] = [];
  for (const old of filesOf(entry)) {
    const match = matchFile(slicesByFile.get(old) ?? [], entry, byUid, byName);
    if (match === undefined) missing.push(old);
    else found.set(old, match);
  }
  if (missing.length > 0) {
    const total = found.size + missing.length;
    const examples = missing.slice(0, 3).map((file) => path.basename(file)).join(', ');
    const read = `${dicom.length} DICOM file${dicom.length === 1 ? '' : 's'} read there`;
    const head = found.size === 0 ? `None of the ${total} files of series ${seriesLabel(entry)} is under ${folder} (${read}, none of them from this series)` : `Only ${found.size} of the ${total} files of series ${seriesLabel(entry)} are under ${folder} (${read}); ${missing.length} ${missing.length === 1 ? 'is' : 'are'} missing, e.g. ${examples}`;
    return { refused: `${head}. Nothing was changed: name the folder that holds all of them.`, code: 'not-found' };
  }
  return {
    slices: entry.slices.map((slice) => {
      const file = found.get(slice.path);
      if (file === undefined) return slice;
      return { ...slice, path: file.path, sopInstanceUid: file.header.sopInstanceUid, fileFrames: file.header.image?.numberOfFrames ?? 1 };
    }),
  };
}
