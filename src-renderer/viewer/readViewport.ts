/**
 * Reads what an overlay shows from a volume viewport: slice index and count
 * along its normal, the slice position in mm, the orientation letters at its
 * edges, and its window.
 */
import type { Types } from '@cornerstonejs/core';
import { orientationLabels, type PatientVector } from './orientationLabels';
import { slicePositionMm } from './slicePosition';
import type { PlaneReadout } from './viewerApi';
import { windowOfRange, type WindowLevel } from './windowLevel';

const vector = (value: Types.Point3 | undefined): PatientVector => [value?.[0] ?? 0, value?.[1] ?? 0, value?.[2] ?? 0];

/** The overlay readout of `viewport`, or null while it shows no volume. */
export function readPlane(viewport: Types.IVolumeViewport): PlaneReadout | null {
  const sliceCount = viewport.getNumberOfSlices();
  if (!(sliceCount > 0)) return null;
  const camera = viewport.getCamera();
  const normal = vector(camera.viewPlaneNormal);
  return {
    sliceIndex: viewport.getSliceIndex(),
    sliceCount,
    positionMm: slicePositionMm(vector(camera.focalPoint), normal),
    labels: orientationLabels(vector(camera.viewUp), normal),
    focalPointMm: vector(camera.focalPoint),
    normal,
  };
}

/** The window `viewport` shows, or null before it has one. */
export function readWindow(viewport: Types.IVolumeViewport): WindowLevel | null {
  const range = viewport.getProperties()?.voiRange;
  return range === undefined ? null : windowOfRange(range);
}
