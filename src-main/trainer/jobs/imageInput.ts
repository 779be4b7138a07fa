/**
 * Finds and loads the image volume a job names: a path (a DICOM series
 * folder or file, or a NIfTI file), read with the import code but without
 * touching the workspace index, or the id of a series already imported
 * into the workspace.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CancelLike } from '../../shared/cancellation';
import { createImportService } from '../../importing/importService';
import { scanForImport } from '../../importing/importScan';
import { loadIndexedVolume, type LoadedVolume } from '../../importing/volumeLoader';
import type { IndexedSeries } from '../../workspace/seriesIndex';
import type { ImageRef } from '../../shared/contract/trainer/jobSchemas';

/** A loaded image and how to name it in a model record. */
export interface ImageInput {
  readonly volume: LoadedVolume;
  /** Workspace series id, or the series id an import of the path would give. */
  readonly seriesId: string;
  /** The path it was read from, or null for a workspace series. */
  readonly path: string | null;
  /** The index entry of a path's series (its sorted slice files), or null for a workspace series. */
  readonly entry: IndexedSeries | null;
}

/** Reads the volume `ref` names; errors name the path or id and what was found instead. */
export async function loadImageInput(ref: ImageRef, workspaceDir: string, signal?: CancelLike): Promise<ImageInput> {
  if ('seriesId' in ref) {
    const service = await createImportService({ workspaceDir });
    return { volume: await service.loadVolume(ref.seriesId, signal), seriesId: ref.seriesId, path: null, entry: null };
  }
  const absolute = path.resolve(ref.path);
  if (!existsSync(absolute)) throw new Error(`No such file or folder: ${absolute}`);
  const { report, entries } = await scanForImport([absolute], { thumbnails: false, ...(signal === undefined ? {} : { signal }) });
  const images = entries.filter((entry) => entry.summary.kind === 'image' && entry.summary.geometry !== null);
  if (images.length === 0) {
    const refused = report.refused.slice(0, 3).map((file) => `${path.basename(file.path)}: ${file.reason}`);
    throw new Error(`${absolute} holds no image series${refused.length > 0 ? ` (refused: ${refused.join('; ')})` : ''}.`);
  }
  if (images.length > 1) {
    const listed = images.slice(0, 5).map((entry) => `${entry.summary.seriesId} "${entry.summary.description}" (${entry.summary.sliceCount} slices)`);
    throw new Error(`${absolute} holds ${images.length} image series (${listed.join('; ')}); point at one series' folder or file.`);
  }
  const [entry] = images;
  if (entry === undefined) throw new Error(`${absolute}: no image series.`);
  return { volume: await loadIndexedVolume(entry, signal), seriesId: entry.summary.seriesId, path: absolute, entry };
}
