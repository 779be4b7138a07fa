/**
 * Orientation markers: the patient directions (R/L, A/P, S/I) at the four
 * edges of a viewport, computed from its camera. Patient space is DICOM's
 * LPS: +x towards the patient's left, +y posterior, +z superior.
 */

/** A direction in patient space (need not be unit length). */
export type PatientVector = readonly [number, number, number];

/** Letters at the four edges of a viewport. */
export interface OrientationLabels {
  readonly top: string;
  readonly bottom: string;
  readonly left: string;
  readonly right: string;
}

const letters: ReadonlyArray<readonly [negative: string, positive: string]> = [['R', 'L'], ['A', 'P'], ['I', 'S']];

/** Components smaller than this share of the largest are left out (an oblique plane shows e.g. "LA"). */
const minorShare = 0.25;

/** The patient direction of a vector, most significant letter first (e.g. `L`, `LA`, `SPL`). */
export function directionLetters(vector: PatientVector): string {
  const largest = Math.max(...vector.map(Math.abs));
  if (!(largest > 0)) return '';
  return [0, 1, 2]
    .filter((axis) => Math.abs(vector[axis] ?? 0) >= largest * minorShare)
    .sort((a, b) => Math.abs(vector[b] ?? 0) - Math.abs(vector[a] ?? 0))
    .map((axis) => letters[axis]?.[(vector[axis] ?? 0) > 0 ? 1 : 0] ?? '')
    .join('');
}

function cross(a: PatientVector, b: PatientVector): PatientVector {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

const negate = (v: PatientVector): PatientVector => [-v[0], -v[1], -v[2]];

/**
 * Edge labels of a viewport whose camera has `viewUp` (screen up) and
 * `viewPlaneNormal` (pointing from the image towards the viewer). Screen
 * right is viewUp × normal, which puts the patient's right on the screen's
 * left in a standard axial view (radiological convention).
 */
export function orientationLabels(viewUp: PatientVector, viewPlaneNormal: PatientVector): OrientationLabels {
  const right = cross(viewUp, viewPlaneNormal);
  return {
    top: directionLetters(viewUp),
    bottom: directionLetters(negate(viewUp)),
    right: directionLetters(right),
    left: directionLetters(negate(right)),
  };
}
