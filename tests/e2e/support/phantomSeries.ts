/**
 * The evaluation phantom (src-main/eval/phantom.ts: a bright organ, a ring
 * and a vessel in textured tissue, with noise and bias) written as an axial
 * CT DICOM series with the dependency-free writer, so the browser host can
 * import and show it; its truth stays in memory for Dice. Slice k of the
 * sorted grid is file k (z = 2k mm), voxel (i, j) at column i, row j.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSyntheticDicom } from '../../../src-main/eval/syntheticDicom';
import { generatePhantom, type PhantomVolume } from '../../../src-main/eval/phantom';

export interface PhantomSeries extends PhantomVolume {
  readonly folder: string;
  /** Text the series list shows for it. */
  readonly description: string;
}

/** Writes the phantom of `seed` at `size` x `size` x `slices` into `folder` (created). */
export function writePhantomSeries(folder: string, options: { size: number; slices: number; seed: number }): PhantomSeries {
  const phantom = generatePhantom({ size: options.size, slices: options.slices, seed: options.seed });
  const description = `Loop phantom ${options.size}x${options.size}x${options.slices}`;
  writeVolumeSeries(folder, phantom, { description, patientName: 'Loop^Phantom', patientId: `LOOP${options.seed}`, scale: 1 });
  return { ...phantom, folder, description };
}

/**
 * Writes `volume` as an axial series of int16 slices into `folder` (created):
 * slice k is file k at z = k * spacing, voxel (i, j) at column i, row j, each
 * intensity times `scale` (a rescale slope of 1 / scale gives the values back).
 */
export function writeVolumeSeries(folder: string, volume: PhantomVolume, names: { description: string; patientName: string; patientId: string; scale: number }): void {
  mkdirSync(folder, { recursive: true });
  const base = `1.2.826.0.1.3680043.10.1999.7.${Date.now()}.${Math.floor(Math.random() * 1e6)}`;
  const plane = volume.width * volume.height;
  for (let k = 0; k < volume.depth; k++) {
    const pixels = new Int16Array(plane);
    for (let v = 0; v < plane; v++) pixels[v] = Math.max(-32768, Math.min(32767, Math.round((volume.image[k * plane + v] ?? 0) * names.scale)));
    const bytes = writeSyntheticDicom({
      studyInstanceUid: `${base}.1`,
      seriesInstanceUid: `${base}.2`,
      sopInstanceUid: `${base}.3.${k + 1}`,
      seriesNumber: 7,
      instanceNumber: k + 1,
      rows: volume.height,
      columns: volume.width,
      position: [0, 0, k * volume.spacingMm[2]],
      orientation: [[1, 0, 0], [0, 1, 0]],
      pixelSpacing: [volume.spacingMm[1], volume.spacingMm[0]],
      sliceThickness: volume.spacingMm[2],
      rescaleIntercept: 0,
      rescaleSlope: 1 / names.scale,
      pixels,
      patientName: names.patientName,
      patientId: names.patientId,
      description: names.description,
    });
    writeFileSync(path.join(folder, `slice-${String(k + 1).padStart(4, '0')}.dcm`), bytes);
  }
}

/** Dice of `label` between a predicted label volume and the truth (1 when both are empty). */
export function dice(predicted: Uint8Array, truth: Uint8Array, label: number): number {
  let both = 0;
  let inPredicted = 0;
  let inTruth = 0;
  for (let v = 0; v < truth.length; v++) {
    const p = predicted[v] === label;
    const t = truth[v] === label;
    if (p) inPredicted++;
    if (t) inTruth++;
    if (p && t) both++;
  }
  return inPredicted + inTruth === 0 ? 1 : (2 * both) / (inPredicted + inTruth);
}
