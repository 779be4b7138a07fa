/**
 * NIfTI label maps in and out of the label store, for research pipelines.
 * Export writes the final labels (strokes over accepted). Import writes a
 * label map into the accepted layer as one new revision: its non-zero voxels
 * replace what was accepted there, its zeros keep it (nothing the user made
 * is lost by an import), and labels that no segment carries get a new
 * segment "Label N" of a generic meaning (SCT 85756007 "Tissue") to rename.
 */
import path from 'node:path';
import type { LabelState, Segment } from '../shared/contract/labels';
import { niftiCompressionOf } from '../nifti/niftiFileWrite';
import { readNiftiLabelMapOntoGrid, writeNiftiLabelMap } from '../nifti/niftiLabelMap';
import { writeNiftiImage } from '../nifti/niftiImageWriter';
import type { LoadedVolume } from '../importing/volumeLoader';
import { countLabelled, finalLabels } from './finalLabels';
import { LabelError } from './labelError';
import type { LabelService } from './labelService';
import { describeCause, errnoOf, isDiskFull } from './saveFailure';

const tissue = { scheme: 'SCT', value: '85756007', meaning: 'Tissue' } as const;

/** Distinct colours for imported segments (cycled by label). */
const importPalette = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#9a6324'];

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

function checkedNiftiPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    niftiCompressionOf(absolute);
  } catch (thrown) {
    throw new LabelError('bad-request', describe(thrown));
  }
  return absolute;
}

/** The segment an import creates for a label no segment carries. */
export function importedSegment(label: number): Segment {
  return { label, name: `Label ${label}`, color: importPalette[(label - 1) % importPalette.length] as string, visible: true, locked: false, category: { ...tissue }, type: { ...tissue } };
}

/** Loads a series' pixels (the import service's loadVolume), for writing the image beside the labels. */
export type SeriesVolumeSource = (seriesId: string) => Promise<LoadedVolume>;

/** What an export wrote. */
export interface NiftiExportResult {
  readonly path: string;
  readonly voxelsLabelled: number;
  readonly imagePath?: string;
}

/**
 * Writes the final labels of `seriesId` to `file` (.nii or .nii.gz) and,
 * when `image` is given, the series' image to `image.path` on the same grid.
 */
export async function exportNiftiLabels(
  service: LabelService,
  seriesId: string,
  file: string,
  image?: { readonly path: string; readonly load: SeriesVolumeSource },
): Promise<NiftiExportResult> {
  const target = checkedNiftiPath(file);
  const imageTarget = image === undefined ? undefined : checkedNiftiPath(image.path);
  if (imageTarget === target) throw new LabelError('bad-request', `The image and the labels cannot both be written to ${target}.`);
  const open = await service.open(seriesId);
  const labels = finalLabels(open.labels.strokes, open.labels.accepted);
  const fail = (thrown: unknown, what: string, where: string): LabelError =>
    new LabelError(isDiskFull(thrown) ? 'disk-full' : 'io', `Could not export the ${what} of series ${seriesId} to ${where}: ${describeCause(thrown)}.`, { cause: thrown });
  try {
    await writeNiftiLabelMap(target, labels, open.geometry);
  } catch (thrown) {
    throw fail(thrown, 'labels', target);
  }
  if (image === undefined || imageTarget === undefined) return { path: target, voxelsLabelled: countLabelled(labels) };
  let volume: LoadedVolume;
  try {
    volume = await image.load(seriesId);
  } catch (thrown) {
    throw new LabelError('io', `The labels were written to ${target}, but the image of series ${seriesId} could not be read: ${describe(thrown)}.`, { cause: thrown });
  }
  try {
    await writeNiftiImage(imageTarget, volume.voxels, volume.geometry);
  } catch (thrown) {
    throw fail(thrown, 'image', imageTarget);
  }
  return { path: target, voxelsLabelled: countLabelled(labels), imagePath: imageTarget };
}

/** Reads the label map `file` into the accepted layer of `seriesId` on top of `baseRevision`; the new state. */
export async function importNiftiLabels(service: LabelService, seriesId: string, file: string, baseRevision: number): Promise<LabelState> {
  const source = checkedNiftiPath(file);
  const open = await service.open(seriesId);
  open.labels.checkBase(baseRevision);
  let labels: Uint8Array;
  try {
    labels = await readNiftiLabelMapOntoGrid(source, open.geometry);
  } catch (thrown) {
    const code = errnoOf(thrown) === 'ENOENT' ? 'not-found' : 'bad-request';
    throw new LabelError(code, `Could not import ${source} into the labels of series ${seriesId}: ${describe(thrown)}. Nothing was changed.`, { cause: thrown });
  }
  // The read is asynchronous: an edit may have landed meanwhile.
  open.labels.checkBase(baseRevision);
  const known = new Set(open.labels.segments.map((segment) => segment.label));
  const missing = new Set<number>();
  for (const label of labels) if (label !== 0 && !known.has(label)) missing.add(label);
  const added = [...missing].sort((a, b) => a - b).map(importedSegment);
  open.labels.mergeIntoAccepted(baseRevision, labels, added);
  open.edited();
  return open.labels.toState();
}
