/**
 * The app contract's DICOM-SEG calls: export a series' final labels as a
 * DICOM Segmentation into a folder, and read a DICOM-SEG (ours or another
 * tool's) back onto its source series for review or further editing.
 */
import { z } from 'zod';
import { bytesSchema } from './bytes';
import { maxSegmentLabel, segmentListSchema } from './labels';
import { seriesIdSchema } from './series';

const pathSchema = z.string().min(1).max(4096);

/** What the export dialog asks for. */
export const exportSegParamsSchema = z
  .object({
    seriesId: seriesIdSchema,
    /** Folder the file is written into (created when missing). */
    folder: pathSchema,
    /**
     * The file's name inside `folder` (`.dcm` added when missing); refused when
     * such a file exists. Without it the name comes from the description and
     * series number, made unique so nothing is overwritten.
     */
    fileName: z.string().min(1).max(200).optional(),
    /** Labels of the segments to export, in the order they should appear. */
    segments: z.array(z.number().int().min(1).max(maxSegmentLabel)).min(1).max(maxSegmentLabel),
    /** Also export each chosen segment's raw strokes as a segment of its own ("<name> (strokes)"). */
    includeStrokes: z.boolean().optional(),
    /** SeriesDescription (LO, 64 characters). */
    description: z.string().max(64),
    seriesNumber: z.number().int().min(0).max(2147483647),
    /** ContentCreatorName (a person name, 64 characters). */
    creator: z.string().max(64),
  })
  .strict();
export type ExportSegParams = z.infer<typeof exportSegParamsSchema>;

export const exportSegResultSchema = z.object({
  /** The file written. */
  path: z.string(),
  /** Frames written (non-empty slices of all segments). */
  frames: z.number().int().positive(),
  /** Segments written. */
  segments: z.number().int().positive(),
});
export type ExportSegResult = z.infer<typeof exportSegResultSchema>;

export const importSegResultSchema = z.object({
  /** Voxels to put into the accepted layer, as label runs in bytes over the series' sorted grid (runsToBytes in src-main/shared/labels/labelRuns.ts). */
  runs: bytesSchema,
  /** The whole segment list after the import: the series' segments plus those the SEG adds (pass it to labels.apply with the runs). */
  segments: segmentListSchema,
  /** Frames placed by their referenced source instance, and by position only. */
  framesByReference: z.number().int().nonnegative(),
  framesByPosition: z.number().int().nonnegative(),
  /** Voxels the SEG gives to more than one segment (the later segment kept). */
  overlappingVoxels: z.number().int().nonnegative(),
});
export type ImportSegResult = z.infer<typeof importSegResultSchema>;

export const segCalls = {
  /** Writes the final labels (strokes over accepted) of the chosen segments as one DICOM-SEG (BINARY). */
  'labels.exportSeg': { params: exportSegParamsSchema, result: exportSegResultSchema },
  /** Reads a DICOM-SEG onto the series' grid; nothing is stored until the renderer applies the runs. */
  'labels.importSeg': { params: z.object({ seriesId: seriesIdSchema, path: pathSchema }).strict(), result: importSegResultSchema },
} as const;
