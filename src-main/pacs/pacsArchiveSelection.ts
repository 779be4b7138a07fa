/**
 * A PACS query's series as a pre-training would take them: listed from their
 * headers (pacsArchive.ts) and kept or left out by the rules a folder archive
 * follows (importing/archiveSelection.ts). The job starts from it, and the
 * pre-training panel previews it before a job is queued.
 */
import type { ArchiveSeries } from '../importing/archiveSeries';
import type { PacsArchivePreview, PacsArchiveQuery } from '../shared/contract/pacs';
import { partitionArchiveSeries } from '../importing/archiveSelection';
import { describeArchiveQuery, listPacsArchive, type PacsArchiveListingOptions } from './pacsArchive';

export interface PacsArchiveSelection {
  /** The server and query in words. */
  readonly root: string;
  readonly usable: ArchiveSeries[];
  readonly skipped: string[];
}

export async function selectPacsArchiveSeries(
  options: PacsArchiveListingOptions,
  query: PacsArchiveQuery,
  minSlices: number,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<PacsArchiveSelection> {
  const listing = await listPacsArchive(options, query, onProgress);
  const { usable, skipped } = partitionArchiveSeries(listing.series, minSlices, listing.unreadable);
  return { root: describeArchiveQuery(options.client, query), usable, skipped };
}

/** The selection for the panel: each usable series in a line, the rest with their reasons. */
export function previewOf(selection: PacsArchiveSelection): PacsArchivePreview {
  return {
    archive: selection.root,
    usable: selection.usable.map((series) => ({ seriesInstanceUid: series.seriesInstanceUid, modality: series.modality, description: series.description, slices: series.sliceCount })),
    leftOut: selection.skipped,
  };
}
