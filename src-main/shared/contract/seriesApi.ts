/** The app contract's series section: import, list, remove, pixel URLs. */
import { z } from 'zod';
import { importEventSchema, seriesIdSchema, seriesImagesSchema, seriesSummarySchema } from './series';
import { seriesFileCheckSchema } from './labels';

const folderSchema = z.string().min(1).max(4096);

export const seriesCalls = {
  /** Every series in the workspace index, in import order. */
  'series.list': { params: z.object({}).strict(), result: z.array(seriesSummarySchema) },
  /** Forgets a series (its files on disk are never touched). */
  'series.remove': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: z.array(seriesSummarySchema) },
  /** URLs of the sorted slices, for the viewer's image loader. */
  'series.images': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: seriesImagesSchema },
  /** Checks that the series' source files are still there. */
  'series.checkFiles': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: seriesFileCheckSchema },
  /** Finds the series' files (by SOP Instance UID) under `folder` and points the index at them; labels stay. */
  'series.relocate': {
    params: z.object({ seriesId: seriesIdSchema, folder: folderSchema }).strict(),
    result: seriesSummarySchema,
  },
} as const;

export const seriesStreams = {
  /**
   * Imports files and folders (absolute paths on the machine that runs the
   * app), indexing them in place; progress events, then one `done` event.
   */
  'series.import': {
    params: z.object({ paths: z.array(z.string().min(1)).min(1).max(1000) }).strict(),
    event: importEventSchema,
  },
} as const;
