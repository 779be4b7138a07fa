/**
 * The labels of a series as every side sees them. Two user-owned layers are
 * stored per series, each one byte a voxel over the series' sorted grid
 * (index i + j*nx + k*nx*ny):
 *
 * - `strokes` (sparse, authoritative): 0 = unpainted, 1..254 = a stroke of
 *   the segment with that label, 255 (`backgroundStrokeValue`) = a background
 *   stroke ("this is NOT any structure").
 * - `accepted` (dense where accepted): 0 = nothing, 1..254 = accepted mask of
 *   that segment, 255 (`erasedValue`) = erased by the user (the model's
 *   predictions may never fill it back in on accept).
 *
 * The model's predictions are a third, provisional layer that is never
 * stored here. What a voxel finally is: its stroke if it has one (a
 * background stroke meaning none), else its accepted label (255 meaning none).
 */
import { z } from 'zod';
import { bytesSchema } from './bytes';
import { seriesIdSchema } from './series';

/** Value of a background stroke in the strokes layer. */
export const backgroundStrokeValue = 255;
/** Value of an erased voxel in the accepted layer. */
export const erasedValue = 255;
/** Highest segment label: 1..254 are segments (255 is reserved, see above). */
export const maxSegmentLabel = 254;
/** DICOM-SEG's SegmentLabel is a 64-character LO. */
export const maxSegmentNameLength = 64;

export const labelLayerSchema = z.enum(['strokes', 'accepted']);
export type LabelLayer = z.infer<typeof labelLayerSchema>;

/** A coded concept (DICOM code sequence item); the scheme is SNOMED CT ("SCT") for segment meanings. */
export const codedConceptSchema = z.object({
  scheme: z.string().min(1).max(16),
  value: z.string().min(1).max(64),
  meaning: z.string().min(1).max(64),
});
export type CodedConcept = z.infer<typeof codedConceptSchema>;

/** One structure being segmented, with what DICOM-SEG needs to describe it. */
export const segmentSchema = z.object({
  /** Value painted into the layers, 1..254. */
  label: z.number().int().min(1).max(maxSegmentLabel),
  name: z.string().min(1).max(maxSegmentNameLength),
  /** `#rrggbb`. */
  color: z.string().regex(/^#[0-9a-f]{6}$/),
  visible: z.boolean(),
  locked: z.boolean(),
  /** Segmented Property Category (e.g. SCT 123037004 "Anatomical Structure"). */
  category: codedConceptSchema,
  /** Segmented Property Type (e.g. SCT 10200004 "Liver"). */
  type: codedConceptSchema,
});
export type Segment = z.infer<typeof segmentSchema>;

export const segmentListSchema = z
  .array(segmentSchema)
  .max(maxSegmentLabel)
  .refine((list) => new Set(list.map((segment) => segment.label)).size === list.length, 'segment labels must be unique');

/** Changed voxels of one layer, as label runs in bytes (runsToBytes in src-main/shared/labels/labelRuns.ts). */
export const layerChangeSchema = z.object({
  layer: labelLayerSchema,
  runs: bytesSchema,
});
export type LayerChange = z.infer<typeof layerChangeSchema>;

/** Everything stored for a series' labels. */
export const labelStateSchema = z.object({
  seriesId: seriesIdSchema,
  /** Grows by one with every accepted edit; a client edits on top of the revision it holds. */
  revision: z.number().int().nonnegative(),
  /** Columns, rows, slices of the grid the layers cover (the series' sorted grid). */
  dimensions: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
  segments: segmentListSchema,
  /** Non-zero voxels of each layer as label runs in bytes. */
  strokes: bytesSchema,
  accepted: bytesSchema,
});
export type LabelState = z.infer<typeof labelStateSchema>;

/** Where the series' labels stand on disk. */
export const labelSaveStatusSchema = z.object({
  seriesId: seriesIdSchema,
  /** 'saved': disk has `savedRevision` = the latest; 'pending': a save is due; 'failed': the last save failed (work kept in memory, retried). */
  state: z.enum(['saved', 'pending', 'failed']),
  revision: z.number().int().nonnegative(),
  savedRevision: z.number().int().nonnegative(),
  /** ISO time of the last successful save, or null. */
  savedAt: z.string().nullable(),
  /** For 'failed': what went wrong, naming the file and cause (e.g. disk full). */
  message: z.string().nullable(),
});
export type LabelSaveStatus = z.infer<typeof labelSaveStatusSchema>;

/** Whether the source files of a series are still where they were imported from. */
export const seriesFileCheckSchema = z.object({
  seriesId: seriesIdSchema,
  fileCount: z.number().int().nonnegative(),
  missingCount: z.number().int().nonnegative(),
  /** A few of the missing paths, to show the user. */
  missingExamples: z.array(z.string()).max(10),
});
export type SeriesFileCheck = z.infer<typeof seriesFileCheckSchema>;
