/**
 * One colour per plane, shared by the crosshair line that shows a plane in
 * the other viewports and by that plane's viewport border and label, so the
 * eye links a line to its view (the convention of OHIF and most PACS).
 */
import type { Plane } from '../stores/layout';

export const planeColors: Readonly<Record<Plane, string>> = {
  axial: 'rgb(232, 86, 86)',
  sagittal: 'rgb(232, 196, 86)',
  coronal: 'rgb(86, 196, 120)',
};
