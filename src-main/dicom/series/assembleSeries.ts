/**
 * From a heap of file headers to series: group by Study and Series Instance
 * UID, split a series that mixes image sizes or orientations into
 * sub-series (ids `UID#2`, `UID#3`, … with the reason in a problem), sort
 * each along its normal, and attach the geometry and the problems found.
 * Non-image objects (SEG, RTSTRUCT, SR, …) are listed as their kind.
 */
import { createHash } from 'node:crypto';
import type { SeriesGeometry, SeriesProblem } from '../../shared/contract/series';
import type { DicomHeader } from '../header/dicomHeader';
import type { ObjectKind } from '../header/objectKind';
import { orientationLabel, placeholderGeometry, stackGeometry } from '../../shared/geometry/seriesGeometry';
import { analyseSpacing } from '../../shared/geometry/sliceSpacing';
import { compareAcquisitionOrder, sizeKey, slicesOf, type HeaderFile, type SliceRef } from './sliceRef';
import { stackSlices, type PositionedSlice, type Stack } from './stackSlices';
import { cross, dot, nearlyEqual, norm, scale, sub, type Vec3 } from '../../shared/geometry/vec3';

export interface AssembledSeries {
  readonly seriesId: string;
  readonly kind: ObjectKind;
  /** The header of the first sorted slice: patient, study and series fields. */
  readonly header: DicomHeader;
  /** Sorted slices (for non-image objects: their files). */
  readonly slices: readonly PositionedSlice[];
  readonly rows: number;
  readonly columns: number;
  readonly geometry: SeriesGeometry | null;
  readonly problems: SeriesProblem[];
}

/** Orientations closer than this (per direction cosine) are the same orientation (about 0.06°). */
const orientationTolerance = 1e-3;
/** In-plane drift of slice positions beyond this is reported (gantry tilt, sheared stacks). */
const shearToleranceMm = 0.5;

function baseId(header: DicomHeader, path: string): string {
  if (header.seriesInstanceUid !== '') return header.seriesInstanceUid;
  return `file-${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
}

/** Partitions image slices by size and orientation; the largest partition first. */
function partition(slices: readonly SliceRef[]): SliceRef[][] {
  const parts: SliceRef[][] = [];
  for (const slice of slices) {
    const o = slice.geometry.orientation;
    const part = parts.find((candidate) => {
      const other = candidate[0];
      if (other === undefined || sizeKey(other) !== sizeKey(slice)) return false;
      const p = other.geometry.orientation;
      if (o === null || p === null) return o === p;
      return nearlyEqual(o[0], p[0], orientationTolerance) && nearlyEqual(o[1], p[1], orientationTolerance);
    });
    if (part === undefined) parts.push([slice]);
    else part.push(slice);
  }
  return parts.sort((a, b) => b.length - a.length);
}

function describePart(part: readonly SliceRef[]): string {
  const first = part[0];
  const o = first?.geometry.orientation ?? null;
  const plane = o === null ? 'without orientation' : orientationLabel(cross(o[0], o[1]));
  const image = first?.header.image;
  return `${part.length} image(s) of ${image?.columns ?? 0}x${image?.rows ?? 0} ${plane}`;
}

function shearProblem(stack: Stack): SeriesProblem | null {
  const first = stack.slices[0];
  const normal = stack.normal;
  if (first === undefined || normal === null || first.geometry.position === null) return null;
  let worst = 0;
  for (const slice of stack.slices) {
    if (slice.geometry.position === null) continue;
    const offset = sub(slice.geometry.position, first.geometry.position);
    worst = Math.max(worst, norm(sub(offset, scale(normal, dot(offset, normal)))));
  }
  if (worst <= shearToleranceMm) return null;
  return {
    code: 'other',
    message: `Slice positions drift up to ${worst.toFixed(1)} mm in-plane along the stack (gantry tilt or a sheared acquisition): the volume is built from the first slice's grid, unsheared.`,
  };
}

function imageSeries(seriesId: string, stack: Stack, extraProblems: readonly SeriesProblem[]): AssembledSeries {
  const first = stack.slices[0];
  if (first === undefined) throw new Error('empty stack');
  const image = first.header.image;
  const rows = image?.rows ?? 0;
  const columns = image?.columns ?? 0;
  const problems: SeriesProblem[] = [...extraProblems, ...stack.problems];
  const pixelSpacing = first.geometry.pixelSpacing;
  if (pixelSpacing === null) problems.push({ code: 'no-geometry', message: 'PixelSpacing is missing: 1 mm per pixel assumed.' });
  const inPlane: readonly [number, number] = pixelSpacing ?? [1, 1];
  const fallbackStep = first.header.spacingBetweenSlices ?? first.header.sliceThickness ?? 1;
  let geometry: SeriesGeometry;
  const orientation = first.geometry.orientation;
  const origin: Vec3 | null = first.geometry.position;
  if (stack.normal !== null && orientation !== null && origin !== null) {
    const positions = stack.slices.map((slice) => slice.positionMm ?? 0);
    // A cine (every image at one position) has no slice step to analyse.
    const onePosition = positions.length > 1 && positions.every((p) => Math.abs(p - (positions[0] ?? 0)) <= 0.01);
    const spacing = onePosition ? { spacingMm: fallbackStep > 0 ? fallbackStep : 1, problems: [] } : analyseSpacing(positions, fallbackStep);
    problems.push(...spacing.problems);
    const shear = shearProblem(stack);
    if (shear !== null) problems.push(shear);
    geometry = stackGeometry({ rows, columns, sliceCount: stack.slices.length, pixelSpacing: inPlane, sliceSpacing: spacing.spacingMm, origin, orientation });
  } else {
    geometry = placeholderGeometry(rows, columns, stack.slices.length, inPlane, fallbackStep > 0 ? fallbackStep : 1);
  }
  return { seriesId, kind: 'image', header: first.header, slices: stack.slices, rows, columns, geometry, problems };
}

function nonImageSeries(seriesId: string, kind: ObjectKind, files: readonly HeaderFile[], problems: SeriesProblem[]): AssembledSeries {
  const slices = files
    .map((file): PositionedSlice => ({ path: file.path, frame: null, header: file.header, geometry: file.header.geometry, positionMm: null }))
    .sort(compareAcquisitionOrder);
  const first = slices[0];
  if (first === undefined) throw new Error('empty series');
  return { seriesId, kind, header: first.header, slices, rows: first.header.image?.rows ?? 0, columns: first.header.image?.columns ?? 0, geometry: null, problems };
}

/** Drops a second file holding the same SOP instance (a copied file); reports it. */
function dedupeInstances(files: readonly HeaderFile[]): { files: HeaderFile[]; problems: SeriesProblem[] } {
  const seen = new Map<string, HeaderFile>();
  const kept: HeaderFile[] = [];
  const copies: string[] = [];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const uid = file.header.sopInstanceUid;
    const earlier = uid === '' ? undefined : seen.get(uid);
    if (earlier !== undefined) {
      copies.push(`${file.path} (same instance as ${earlier.path})`);
      continue;
    }
    if (uid !== '') seen.set(uid, file);
    kept.push(file);
  }
  const problems: SeriesProblem[] =
    copies.length === 0
      ? []
      : [{ code: 'duplicate-position', message: `${copies.length} file(s) repeat an image already imported (same SOP Instance UID) and were ignored: ${copies.slice(0, 5).join('; ')}${copies.length > 5 ? '; …' : ''}.` }];
  return { files: kept, problems };
}

/** Assembles series from file headers; ids are unique within the result. */
export function assembleSeries(files: readonly HeaderFile[]): AssembledSeries[] {
  const groups = new Map<string, HeaderFile[]>();
  for (const file of files) {
    const key = `${file.header.studyInstanceUid}\u0000${baseId(file.header, file.path)}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [file]);
    else group.push(file);
  }
  const used = new Set<string>();
  const claim = (base: string): string => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}#${n}`;
    used.add(id);
    return id;
  };
  const result: AssembledSeries[] = [];
  for (const group of groups.values()) {
    const firstFile = group[0];
    if (firstFile === undefined) continue;
    const base = baseId(firstFile.header, firstFile.path);
    const { files: unique, problems: copyProblems } = dedupeInstances(group);
    const images = unique.filter((file) => file.header.kind === 'image');
    const byKind = new Map<ObjectKind, HeaderFile[]>();
    for (const file of unique) if (file.header.kind !== 'image') byKind.set(file.header.kind, [...(byKind.get(file.header.kind) ?? []), file]);
    if (images.length > 0) {
      const parts = partition(images.flatMap(slicesOf));
      const stacks = parts.flatMap((part) => stackSlices(part));
      const ids = stacks.map(() => claim(base));
      const split: SeriesProblem[] =
        parts.length > 1
          ? [{ code: 'mixed-geometry', message: `Series ${base} mixes image sizes or orientations (${parts.map(describePart).join('; ')}): split into ${ids.join(', ')}.` }]
          : [];
      stacks.forEach((stack, i) => result.push(imageSeries(ids[i] ?? base, stack, [...copyProblems, ...split])));
    }
    for (const [kind, objects] of byKind) result.push(nonImageSeries(claim(base), kind, objects, copyProblems));
  }
  return result;
}
