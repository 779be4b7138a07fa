/**
 * Small inputs for the job tests: a phantom image and its sparse strokes as
 * NIfTI files (32x32 slices), a tiny synthetic DICOM archive for
 * pre-training, and a temp workspace. Shapes are tiny so every job runs in
 * seconds on the CPU backend.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticDicom } from '../../../../src-main/eval/syntheticDicom';
import { niftiHeaderBytes } from '../../../../src-main/nifti/niftiHeaderWriter';
import type { SeriesGeometry } from '../../../../src-main/shared/contract/series';
import { makePhantom, makeStrokes, type Phantom } from '../../ml/phantom';

/** An axial grid of `size` x `size` x `depth` voxels, 1 x 1 x 2 mm. */
export function axialGeometry(size: number, depth: number, originZ = 0): SeriesGeometry {
  return {
    dimensions: [size, size, depth],
    spacingMm: [1, 1, 2],
    originMm: [0, 0, originZ],
    direction: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    orientation: 'axial',
  };
}

function bytesOf(values: Float32Array | Int16Array): Uint8Array {
  const out = new Uint8Array(values.length * values.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => (values instanceof Float32Array ? view.setFloat32(i * 4, v, true) : view.setInt16(i * 2, v, true)));
  return out;
}

/** Writes a float32 NIfTI image on `geometry`. */
export function writeNiftiImageFile(file: string, data: Float32Array, geometry: SeriesGeometry): void {
  const header = niftiHeaderBytes({ geometry, datatype: 16, description: 'test image' });
  writeFileSync(file, Buffer.concat([header, bytesOf(data)]));
}

/** Writes an int16 NIfTI label map on `geometry` (-1 allowed). */
export function writeNiftiLabelsFile(file: string, labels: Int32Array, geometry: SeriesGeometry): void {
  const header = niftiHeaderBytes({ geometry, datatype: 4, description: 'test labels' });
  writeFileSync(file, Buffer.concat([header, bytesOf(Int16Array.from(labels))]));
}

export interface PhantomFiles {
  readonly phantom: Phantom;
  readonly image: string;
  readonly labels: string;
  /** The strokes written to `labels` (-1 unlabelled). */
  readonly strokes: Int32Array;
  readonly geometry: SeriesGeometry;
}

/** A 32x32x`depth` phantom (disc = 1, square = 2) with strokes on `slices`, as NIfTI files in `dir`. */
export function writePhantomFiles(dir: string, depth = 8, slices: readonly number[] = [1, 4, 6]): PhantomFiles {
  const phantom = makePhantom(32, depth, 3);
  const strokes = makeStrokes(phantom, slices);
  const geometry = axialGeometry(32, depth);
  const image = path.join(dir, 'phantom.nii');
  const labels = path.join(dir, 'strokes.nii');
  // Intensities like a CT (the job normalises them again).
  writeNiftiImageFile(image, phantom.volume.data.map((v) => v * 1000 - 200), geometry);
  writeNiftiLabelsFile(labels, strokes, geometry);
  return { phantom, image, labels, strokes, geometry };
}

/** Writes `series` synthetic CT series of `depth` 64x64 phantom slices under `dir`. */
export function writePhantomArchive(dir: string, series = 3, depth = 12): void {
  for (let s = 0; s < series; s++) {
    const phantom = makePhantom(64, depth, 10 + s);
    const folder = path.join(dir, `series${s}`);
    mkdirSync(folder, { recursive: true });
    for (let z = 0; z < depth; z++) {
      const pixels = Int16Array.from(phantom.volume.data.subarray(z * 64 * 64, (z + 1) * 64 * 64), (v) => Math.round(v * 1000));
      const bytes = writeSyntheticDicom({
        studyInstanceUid: `1.2.826.0.1.3680043.99.1.${s}`,
        seriesInstanceUid: `1.2.826.0.1.3680043.99.2.${s}`,
        sopInstanceUid: `1.2.826.0.1.3680043.99.3.${s}.${z}`,
        seriesNumber: s + 1,
        instanceNumber: z + 1,
        rows: 64,
        columns: 64,
        position: [0, 0, 2 * z],
        orientation: [[1, 0, 0], [0, 1, 0]],
        pixelSpacing: [1, 1],
        sliceThickness: 2,
        rescaleIntercept: -1000,
        rescaleSlope: 1,
        pixels,
      });
      writeFileSync(path.join(folder, `slice${z}.dcm`), bytes);
    }
  }
}

/** A fresh temp folder. */
export function tempFolder(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `macl-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
