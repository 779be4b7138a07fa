/**
 * The slice position an overlay prints: the focal point's coordinate along
 * the patient axis the viewport looks along (z for axial, x for sagittal,
 * y for coronal), in mm. Signed as DICOM's LPS axes are, whichever way the
 * camera faces, so the number matches the scanner's table position.
 */
import type { PatientVector } from './orientationLabels';

/** Position (mm) of `focalPoint` along the dominant axis of `viewPlaneNormal`. */
export function slicePositionMm(focalPoint: PatientVector, viewPlaneNormal: PatientVector): number {
  const dominant = [0, 1, 2].reduce((best, axis) => (Math.abs(viewPlaneNormal[axis] ?? 0) > Math.abs(viewPlaneNormal[best] ?? 0) ? axis : best), 0);
  const sign = (viewPlaneNormal[dominant] ?? 0) < 0 ? -1 : 1;
  return sign * (focalPoint[0] * viewPlaneNormal[0] + focalPoint[1] * viewPlaneNormal[1] + focalPoint[2] * viewPlaneNormal[2]);
}
