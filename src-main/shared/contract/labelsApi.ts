/**
 * The app contract's labels section: load, edit (as sparse runs), save status,
 * NIfTI label export/import.
 */
import { z } from 'zod';
import { seriesIdSchema } from './series';
import { labelSaveStatusSchema, labelStateSchema, layerChangeSchema, segmentListSchema } from './labels';

const pathSchema = z.string().min(1).max(4096);

export const labelsCalls = {
  /** The stored labels of a series (empty layers and no segments when none were made yet). */
  'labels.load': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: labelStateSchema },
  /**
   * Applies one edit on top of `baseRevision` (the revision the client holds):
   * layer changes and/or the full new segment list. Refused with 'conflict'
   * when the stored revision differs (another window edited): reload then.
   * Saved to disk within 2 s; the answer comes once the edit is in memory.
   */
  'labels.apply': {
    params: z
      .object({
        seriesId: seriesIdSchema,
        baseRevision: z.number().int().nonnegative(),
        changes: z.array(layerChangeSchema).max(2),
        segments: segmentListSchema.optional(),
      })
      .strict(),
    result: labelSaveStatusSchema,
  },
  /** Saves now (e.g. before closing); answers with the status after the attempt. */
  'labels.flush': { params: z.object({ seriesId: seriesIdSchema }).strict(), result: labelSaveStatusSchema },
  /**
   * Writes the final labels (strokes over accepted) as a NIfTI label map (.nii or .nii.gz) on the
   * series' grid; with `imagePath`, also the series' image on the same grid (for research pipelines).
   */
  'labels.exportNifti': {
    params: z.object({ seriesId: seriesIdSchema, path: pathSchema, imagePath: pathSchema.optional() }).strict(),
    result: z.object({ path: z.string(), voxelsLabelled: z.number().int().nonnegative(), imagePath: z.string().optional() }),
  },
  /** Reads a NIfTI label map of the same patient-space grid into the accepted layer (a new revision). */
  'labels.importNifti': {
    params: z.object({ seriesId: seriesIdSchema, path: pathSchema, baseRevision: z.number().int().nonnegative() }).strict(),
    result: labelStateSchema,
  },
} as const;

export const labelsStreams = {
  /** The save status of a series' labels: the current one, then every change. */
  'labels.saveStatus': { params: z.object({ seriesId: seriesIdSchema }).strict(), event: labelSaveStatusSchema },
} as const;
