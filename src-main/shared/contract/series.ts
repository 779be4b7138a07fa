/**
 * Imported series as every side sees them: what the series list shows, what
 * `macl inspect` prints, and what the viewer needs to load the pixels.
 * Geometry is in patient space (LPS, millimetres), as DICOM defines it.
 */
import { z } from 'zod';

/** Identifies one imported series in the workspace (stable across restarts). */
export const seriesIdSchema = z.string().min(1).max(200).brand<'SeriesId'>();
export type SeriesId = z.infer<typeof seriesIdSchema>;

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** What kind of object a series holds; only `image` series open in the viewer. */
export const seriesKindSchema = z.enum(['image', 'segmentation', 'rtstruct', 'structured-report', 'other']);

/** A problem found on import: the series may still open, but the user is told. */
export const seriesProblemSchema = z.object({
  code: z.enum(['missing-slices', 'uneven-spacing', 'mixed-geometry', 'duplicate-position', 'unreadable-file', 'no-geometry', 'other']),
  message: z.string(),
  /** Slice positions (mm along the normal) involved, when the problem is about positions. */
  positionsMm: z.array(z.number()).optional(),
});
export type SeriesProblem = z.infer<typeof seriesProblemSchema>;

export const seriesGeometrySchema = z.object({
  /** Columns (x), rows (y), slices (z) of the voxel grid, slices sorted along the normal. */
  dimensions: vec3,
  /** Column spacing, row spacing, slice spacing in mm. */
  spacingMm: vec3,
  /** Patient position of the first voxel of the first sorted slice. */
  originMm: vec3,
  /** Row direction, column direction, slice normal (unit vectors, LPS). */
  direction: z.tuple([vec3, vec3, vec3]),
  /** The plane the slices are closest to. */
  orientation: z.enum(['axial', 'sagittal', 'coronal', 'oblique']),
});
export type SeriesGeometry = z.infer<typeof seriesGeometrySchema>;

export const seriesSummarySchema = z.object({
  seriesId: seriesIdSchema,
  source: z.enum(['dicom', 'nifti']),
  kind: seriesKindSchema,
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  seriesNumber: z.number().int().nullable(),
  modality: z.string(),
  description: z.string(),
  /** Number of slices (frames) in the sorted series. */
  sliceCount: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
  /** Null for objects without image geometry (SR, RTSTRUCT). */
  geometry: seriesGeometrySchema.nullable(),
  problems: z.array(seriesProblemSchema),
  /** A small PNG of the middle slice as a data: URL, or null. */
  thumbnail: z.string().nullable(),
});
export type SeriesSummary = z.infer<typeof seriesSummarySchema>;

/** A file that was not imported, and why. */
export const refusedFileSchema = z.object({ path: z.string(), reason: z.string() });

/**
 * Files that hold images of a series already in the workspace, found at
 * other paths (a second copy of the series): nothing is added and the
 * indexed series keeps its files; only Relocate moves a series to others.
 */
export const alreadyImportedSchema = z.object({
  seriesId: seriesIdSchema,
  description: z.string(),
  /** How many of the imported files repeat the series' images. */
  files: z.number().int().positive(),
  /** The folder the series is indexed from (the one it keeps). */
  indexedFolder: z.string(),
  /** The folder the repeating files were found in. */
  foundIn: z.string(),
});
export type AlreadyImported = z.infer<typeof alreadyImportedSchema>;

export const importReportSchema = z.object({
  series: z.array(seriesSummarySchema),
  refused: z.array(refusedFileSchema),
  /** Picked paths (folders or files) that do not exist. */
  notFound: z.array(z.string()),
  alreadyImported: z.array(alreadyImportedSchema),
  /** Files that are not DICOM or NIfTI at all: counted, not listed. */
  skippedNonDicom: z.number().int().nonnegative(),
  filesScanned: z.number().int().nonnegative(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), filesSeen: z.number().int(), filesRead: z.number().int() }),
  z.object({ kind: z.literal('done'), report: importReportSchema }),
]);
export type ImportEvent = z.infer<typeof importEventSchema>;

/**
 * How the renderer loads a series' pixels: one URL per sorted slice (or
 * frame), relative to the renderer's own origin (app://macl/ in Electron,
 * http://127.0.0.1:PORT/ in the browser host). Both hosts serve these paths
 * only for files in the workspace index.
 */
export const seriesImagesSchema = z.object({
  seriesId: seriesIdSchema,
  /**
   * Relative URLs, one per sorted slice, e.g. `files/<seriesId>/0` (the id
   * URI-encoded: split series ids contain `#`). The number is the sorted
   * index of the first slice that comes from the same file, so each file has
   * one URL and is fetched once; frames of a multi-frame file add
   * `?frame=N`, 1-based as cornerstone's wadouri loader expects.
   */
  imageUrls: z.array(z.string()),
});
export type SeriesImages = z.infer<typeof seriesImagesSchema>;
