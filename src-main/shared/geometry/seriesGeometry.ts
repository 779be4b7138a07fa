/**
 * The geometry of a sorted stack of slices, in the contract's terms: voxel
 * grid dimensions, spacing, origin (first voxel of the first slice), and
 * row / column / normal directions in patient space (LPS).
 */
import type { SeriesGeometry } from '../contract/series';
import { cross, normalize, roundVec, type Vec3 } from './vec3';

/** Beyond this angle from every patient axis a plane is called oblique. */
export const obliqueThresholdDegrees = 5;

/** The plane a slice normal is closest to, or 'oblique' beyond {@link obliqueThresholdDegrees}. */
export function orientationLabel(normal: Vec3): SeriesGeometry['orientation'] {
  const ax = Math.abs(normal[0]);
  const ay = Math.abs(normal[1]);
  const az = Math.abs(normal[2]);
  const largest = Math.max(ax, ay, az);
  if (largest < Math.cos((obliqueThresholdDegrees * Math.PI) / 180)) return 'oblique';
  // LPS: x runs right to left (sagittal normal), y front to back (coronal), z feet to head (axial).
  if (largest === az) return 'axial';
  if (largest === ax) return 'sagittal';
  return 'coronal';
}

export interface StackGeometryInput {
  readonly rows: number;
  readonly columns: number;
  readonly sliceCount: number;
  /** [row spacing, column spacing] from PixelSpacing. */
  readonly pixelSpacing: readonly [number, number];
  readonly sliceSpacing: number;
  readonly origin: Vec3;
  /** Row and column direction cosines (ImageOrientationPatient). */
  readonly orientation: readonly [Vec3, Vec3];
}

/** Builds the contract geometry; the normal is row × column, the direction slices were sorted along. */
export function stackGeometry(input: StackGeometryInput): SeriesGeometry {
  const row = normalize(input.orientation[0]);
  const col = normalize(input.orientation[1]);
  const normal = normalize(cross(row, col));
  return {
    dimensions: [input.columns, input.rows, input.sliceCount],
    // Contract order: column spacing (along a row, x), row spacing (y), slice spacing.
    spacingMm: [input.pixelSpacing[1], input.pixelSpacing[0], input.sliceSpacing],
    originMm: [...roundVec(input.origin)],
    direction: [[...roundVec(row, 9)], [...roundVec(col, 9)], [...roundVec(normal, 9)]],
    orientation: orientationLabel(normal),
  };
}

/** Geometry for images without position or orientation: an identity frame, told to the user as a problem. */
export function placeholderGeometry(rows: number, columns: number, sliceCount: number, pixelSpacing: readonly [number, number], sliceSpacing: number): SeriesGeometry {
  return {
    dimensions: [columns, rows, sliceCount],
    spacingMm: [pixelSpacing[1], pixelSpacing[0], sliceSpacing],
    originMm: [0, 0, 0],
    direction: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    orientation: 'axial',
  };
}
