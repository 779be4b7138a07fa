/**
 * DICOM-SEG in and out of a series' labels: export takes the final labels
 * (strokes over accepted) of the chosen segments from the label store, and
 * optionally the raw strokes as segments of their own; import reads a SEG
 * onto the series' grid and answers runs plus the segment list, for the
 * renderer to apply to the accepted layer.
 *
 * A segment counts as MANUAL when its final voxels all come from strokes,
 * SEMIAUTOMATIC when any comes from the accepted layer (the model's
 * predictions the user accepted).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { maxSegmentLabel, maxSegmentNameLength, type Segment } from '../shared/contract/labels';
import type { ExportSegParams, ExportSegResult, ImportSegResult } from '../shared/contract/segApi';
import type { SeriesGeometry, SeriesSummary } from '../shared/contract/series';
import { runsToBytes, runsFromLayer } from '../shared/labels/labelRuns';
import { defaultSegFileName, segFileNameProblem, segFileNameWithExtension } from '../shared/segFileName';
import { workstationAlgorithmName, type SegmentAlgorithm } from '../dicom/seg/segmentDescription';
import { readSeg, type ReadSegment } from '../dicom/seg/segReader';
import { readSegSource, SegSourceError, type SegSource } from '../dicom/seg/segSource';
import { segToGrid } from '../dicom/seg/segToGrid';
import { SegExportError, writeSeg, type SegExportSegment } from '../dicom/seg/segWriter';

/** Where series and their files are looked up (the ImportService fits). */
export interface SegSeriesSource {
  listSeries(): readonly SeriesSummary[];
  resolveSeriesFile(seriesId: string, index: number): { path: string; frame: number | null } | null;
}

/** Where a series' label layers are (the label store's `open` fits). */
export interface SegLabelSource {
  open(seriesId: string): Promise<{ readonly labels: { readonly strokes: Uint8Array; readonly accepted: Uint8Array; readonly segments: readonly Segment[] }; readonly geometry: SeriesGeometry }>;
}

export interface SegTransferOptions {
  readonly series: SegSeriesSource;
  readonly labels: SegLabelSource;
  /** The app version, written as SoftwareVersions. */
  readonly softwareVersion: string;
  /** The version of the model whose predictions were accepted on this series; null when unknown. */
  readonly modelVersionOf?: (seriesId: string) => Promise<string | null>;
}

const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' } as const;
const palette = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6'];

/** Reads the series' source files back (refusing missing or changed ones). */
async function sourceOf(series: SegSeriesSource, seriesId: string): Promise<SegSource> {
  const summary = series.listSeries().find((entry) => entry.seriesId === seriesId);
  if (summary === undefined) throw new SegSourceError('missing', `No series ${seriesId} in the workspace.`);
  if (summary.source !== 'dicom' || summary.kind !== 'image' || summary.geometry === null) {
    throw new SegExportError(`Series ${seriesId} is not a DICOM image series: a DICOM-SEG needs DICOM source images to refer to.`);
  }
  const slices = Array.from({ length: summary.geometry.dimensions[2] }, (_, k) => {
    const slice = series.resolveSeriesFile(seriesId, k);
    if (slice === null) throw new SegSourceError('changed', `Series ${seriesId}: slice ${k + 1} is not in the index any more.`);
    return slice;
  });
  return readSegSource(slices, { seriesInstanceUid: summary.seriesInstanceUid, geometry: summary.geometry });
}

/** A file name in `folder` that does not exist yet, from the description and series number. */
export function segFileName(folder: string, description: string, seriesNumber: number): string {
  const base = defaultSegFileName(description, seriesNumber).replace(/\.dcm$/, '');
  let candidate = path.join(folder, `${base}.dcm`);
  for (let n = 2; existsSync(candidate); n++) candidate = path.join(folder, `${base}-${n}.dcm`);
  return candidate;
}

/** The file the user named in `folder`; refuses a bad name or one that exists (an export never replaces a file). */
function namedSegFile(folder: string, name: string): string {
  const problem = segFileNameProblem(name);
  if (problem !== null) throw new SegExportError(problem);
  const file = path.join(path.resolve(folder), segFileNameWithExtension(name));
  if (existsSync(file)) throw new SegExportError(`${file} already exists; choose another file name (an export never replaces a file).`);
  return file;
}

/** The final voxels of one segment (a background stroke, 255, over an accepted voxel leaves it out). */
function finalOf(strokes: Uint8Array, accepted: Uint8Array, label: number): { volume: Uint8Array; fromAccepted: boolean } {
  const volume = new Uint8Array(strokes.length);
  let fromAccepted = false;
  for (let i = 0; i < strokes.length; i++) {
    const stroke = strokes[i] as number;
    if (stroke === label) volume[i] = label;
    else if (stroke === 0 && accepted[i] === label) {
      volume[i] = label;
      fromAccepted = true;
    }
  }
  return { volume, fromAccepted };
}

/** Writes the chosen segments of a series as a DICOM-SEG into `params.folder`. */
export async function exportSegLabels(options: SegTransferOptions, params: Omit<ExportSegParams, 'seriesId'> & { readonly seriesId: string }): Promise<ExportSegResult> {
  const open = await options.labels.open(params.seriesId);
  const { strokes, accepted, segments } = open.labels;
  const chosen = params.segments.map((label) => {
    const segment = segments.find((s) => s.label === label);
    if (segment === undefined) throw new SegExportError(`Series ${params.seriesId} has no segment with label ${label}.`);
    return segment;
  });
  const modelVersion = (await options.modelVersionOf?.(params.seriesId)) ?? null;
  const semi: SegmentAlgorithm = { type: 'SEMIAUTOMATIC', name: workstationAlgorithmName, version: modelVersion ?? 'unrecorded' };
  const exported: SegExportSegment[] = [];
  for (const segment of chosen) {
    const { volume, fromAccepted } = finalOf(strokes, accepted, segment.label);
    exported.push({ segment, volume, algorithm: fromAccepted ? semi : { type: 'MANUAL' } });
  }
  if (params.includeStrokes === true) {
    for (const segment of chosen) {
      if (!strokes.includes(segment.label)) continue;
      const name = `${segment.name.slice(0, maxSegmentNameLength - ' (strokes)'.length)} (strokes)`;
      exported.push({ segment: { ...segment, name }, volume: strokes, algorithm: { type: 'MANUAL' } });
    }
  }
  const source = await sourceOf(options.series, params.seriesId);
  const file = params.fileName === undefined ? segFileName(path.resolve(params.folder), params.description, params.seriesNumber) : namedSegFile(params.folder, params.fileName);
  const result = await writeSeg(file, {
    source,
    segments: exported,
    seriesDescription: params.description,
    seriesNumber: params.seriesNumber,
    contentCreator: params.creator,
    softwareVersion: options.softwareVersion,
  });
  return { path: file, frames: result.frames, segments: result.segments.length };
}

function describedSegment(read: ReadSegment, label: number): Segment {
  return {
    label,
    name: read.name.slice(0, maxSegmentNameLength),
    color: read.color ?? (palette[(label - 1) % palette.length] as string),
    visible: true,
    locked: false,
    category: read.category === null ? { ...tissue } : { ...read.category, meaning: read.category.meaning.slice(0, 64) || read.category.value },
    type: read.type === null ? { ...tissue } : { ...read.type, meaning: read.type.meaning.slice(0, 64) || read.type.value },
  };
}

/**
 * Reads the SEG `file` onto series `seriesId`. Its segments match the
 * series' segments of the same name and type; the others get free labels.
 */
export async function importSegLabels(options: SegTransferOptions, seriesId: string, file: string): Promise<ImportSegResult> {
  const open = await options.labels.open(seriesId);
  const seg = await readSeg(path.resolve(file));
  const source = await sourceOf(options.series, seriesId);
  const segments = [...open.labels.segments];
  const labelOf = new Map<number, number>();
  for (const read of seg.segments) {
    const same = segments.find((s) => s.name === read.name && (read.type === null || (s.type.value === read.type.value && s.type.scheme === read.type.scheme)));
    if (same !== undefined) {
      labelOf.set(read.segmentNumber, same.label);
      continue;
    }
    const used = new Set(segments.map((s) => s.label));
    let label = 1;
    while (used.has(label) && label <= maxSegmentLabel) label++;
    if (label > maxSegmentLabel) throw new SegExportError(`${path.basename(file)}: the series already has ${maxSegmentLabel} segments; no label is free for "${read.name}".`);
    segments.push(describedSegment(read, label));
    labelOf.set(read.segmentNumber, label);
  }
  const grid = segToGrid(seg, source, (n) => labelOf.get(n) ?? 0);
  // Only segments that place voxels are added.
  const present = new Set(grid.labels);
  const kept = segments.filter((s) => open.labels.segments.includes(s) || present.has(s.label));
  return {
    runs: runsToBytes(runsFromLayer(grid.labels)),
    segments: kept,
    framesByReference: grid.placedByReference,
    framesByPosition: grid.placedByPosition,
    overlappingVoxels: grid.overlappingVoxels,
  };
}
