/**
 * A real labelled volume (an image and its truth, as `macl eval` reads them:
 * DICOM or NIfTI image, NIfTI label map or DICOM-SEG truth) written as an
 * axial DICOM series in the same layout as the loop phantom, so the browser
 * loop benchmark paints and scores a real scan exactly as it does the
 * phantom. One truth label is the structure (label 1 of the series' truth).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEvalCase } from '../../../src-main/eval/evalInputs';
import type { PhantomVolume } from '../../../src-main/eval/phantom';
import { writeVolumeSeries, type PhantomSeries } from './phantomSeries';

/** The power of two that brings the largest |intensity| to at most 16,000 (int16 with headroom), so 1 / scale is exact. */
function int16Scale(image: Float32Array): number {
  let largest = 0;
  for (const value of image) largest = Math.max(largest, Math.abs(value));
  if (largest === 0) return 1;
  return 2 ** Math.max(-8, Math.min(8, Math.floor(Math.log2(16000 / largest))));
}

/** Reads `imagePath` and `truthPath`, keeps truth label `label` as the structure, and writes the series into `folder`. */
export async function writeRealVolumeSeries(folder: string, imagePath: string, truthPath: string, label: number): Promise<PhantomSeries> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'macl-real-volume-'));
  try {
    const loaded = await loadEvalCase(imagePath, truthPath, scratch);
    const truth = new Uint8Array(loaded.truth.length);
    let first = -1;
    let last = -1;
    const plane = loaded.width * loaded.height;
    for (let v = 0; v < truth.length; v++) {
      if (loaded.truth[v] !== label) continue;
      truth[v] = 1;
      const k = Math.floor(v / plane);
      if (first < 0) first = k;
      last = k;
    }
    if (first < 0) throw new Error(`${truthPath} has no voxel of label ${label}.`);
    const volume: PhantomVolume = {
      width: loaded.width,
      height: loaded.height,
      depth: loaded.depth,
      spacingMm: loaded.geometry.spacingMm,
      image: loaded.image,
      truth,
      structures: [{ label: 1, name: `label ${label}`, slices: [first, last] }],
    };
    const description = `Loop ${path.basename(imagePath).replace(/\.nii(\.gz)?$/, '')} ${loaded.width}x${loaded.height}x${loaded.depth}`;
    writeVolumeSeries(folder, volume, { description, patientName: 'Loop^Real', patientId: 'LOOPREAL', scale: int16Scale(loaded.image) });
    return { ...volume, folder, description };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
