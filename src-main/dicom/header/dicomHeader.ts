/**
 * What the workstation keeps of one DICOM file's header: enough to group,
 * sort and describe series, and to decode the pixels later. JSON-safe and
 * schema-checked, so the archive index can store it and read it back.
 */
import { z } from 'zod';
import { seriesKindSchema } from '../../shared/contract/series';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** Position and orientation of one frame (the whole file for single-frame objects). */
export const frameGeometrySchema = z.object({
  /** ImagePositionPatient: the centre of the first transmitted pixel (mm, LPS). */
  position: vec3.nullable(),
  /** ImageOrientationPatient: row direction, then column direction (unit vectors, LPS). */
  orientation: z.tuple([vec3, vec3]).nullable(),
  /** PixelSpacing: distance between rows, then between columns (mm). */
  pixelSpacing: z.tuple([z.number(), z.number()]).nullable(),
  /** Per-frame rescale (enhanced objects); null: the file-level one applies. */
  rescale: z.object({ slope: z.number(), intercept: z.number() }).nullable(),
});
export type FrameGeometry = z.infer<typeof frameGeometrySchema>;

/** The image pixel module (Rows, Columns, bits, ...). */
export const imagePixelSchema = z.object({
  rows: z.number().int().positive(),
  columns: z.number().int().positive(),
  samplesPerPixel: z.number().int().positive(),
  photometric: z.string(),
  bitsAllocated: z.number().int().positive(),
  bitsStored: z.number().int().positive(),
  highBit: z.number().int().nonnegative(),
  /** 0: unsigned, 1: two's complement. */
  pixelRepresentation: z.union([z.literal(0), z.literal(1)]),
  planarConfiguration: z.union([z.literal(0), z.literal(1)]),
  numberOfFrames: z.number().int().positive(),
});
export type ImagePixel = z.infer<typeof imagePixelSchema>;

export const dicomHeaderSchema = z.object({
  transferSyntaxUid: z.string(),
  sopClassUid: z.string(),
  sopInstanceUid: z.string(),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string(),
  frameOfReferenceUid: z.string(),
  modality: z.string(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  seriesDescription: z.string(),
  seriesNumber: z.number().int().nullable(),
  instanceNumber: z.number().int().nullable(),
  /** Keys that order images sharing one position (echoes, phases). */
  echoNumber: z.number().nullable(),
  temporalPosition: z.number().nullable(),
  acquisitionNumber: z.number().nullable(),
  kind: seriesKindSchema,
  image: imagePixelSchema.nullable(),
  rescaleSlope: z.number(),
  rescaleIntercept: z.number(),
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
  sliceThickness: z.number().nullable(),
  spacingBetweenSlices: z.number().nullable(),
  /** The file-level (or shared functional group) geometry. */
  geometry: frameGeometrySchema,
  /** One entry per frame when frames differ in geometry (enhanced objects, RT dose grids); else null. */
  perFrame: z.array(frameGeometrySchema).nullable(),
  /** Where the pixel data element's value starts and how long it is (null: encapsulated, undefined length). */
  pixelData: z.object({ offset: z.number().int().nonnegative(), length: z.number().int().nonnegative().nullable() }).nullable(),
});
export type DicomHeader = z.infer<typeof dicomHeaderSchema>;

/** The geometry of frame `frame` (0-based) of a file. */
export function frameGeometry(header: DicomHeader, frame: number): FrameGeometry {
  return header.perFrame?.[frame] ?? header.geometry;
}

/** The number of frames of an image object, 0 for non-image objects. */
export function frameCount(header: DicomHeader): number {
  return header.image?.numberOfFrames ?? 0;
}
