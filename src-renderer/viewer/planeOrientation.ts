/**
 * Which cornerstone orientation each plane of the layout shows. The
 * viewports are orthographic volume viewports, so an oblique acquisition is
 * resampled into true axial, sagittal and coronal planes of the patient.
 */
import { Enums } from '@cornerstonejs/core';
import type { Plane } from '../stores/layout';

export const planeOrientation: Readonly<Record<Plane, Enums.OrientationAxis>> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};
