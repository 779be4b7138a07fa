/**
 * A workspace with one imported phantom series (NIfTI, 32x32 slices) for the
 * interactive session tests, and helpers to turn the phantom's strokes into
 * the strokes layer the app sends (segment label = class, 255 = background).
 */
import path from 'node:path';
import { createImportService, type ImportService } from '../../../../src-main/importing/importService';
import { backgroundStrokeValue } from '../../../../src-main/shared/contract/labels';
import { runsToBytes, runsFromLayer } from '../../../../src-main/shared/labels/labelRuns';
import { makePhantom, makeStrokes, type Phantom } from '../../ml/phantom';
import { axialGeometry, writeNiftiImageFile } from './jobFixtures';

export interface PhantomWorkspace {
  readonly workspaceDir: string;
  readonly seriesId: string;
  readonly phantom: Phantom;
  readonly size: number;
  readonly depth: number;
  readonly series: ImportService;
}

/** Writes a size x size x depth phantom as NIfTI under `dir` and imports it into the workspace `dir`/ws. */
export async function phantomWorkspace(dir: string, size = 32, depth = 8, seed = 3): Promise<PhantomWorkspace> {
  const phantom = makePhantom(size, depth, seed);
  const image = path.join(dir, 'phantom.nii');
  writeNiftiImageFile(image, phantom.volume.data.map((v) => v * 1000 - 200), axialGeometry(size, depth));
  const workspaceDir = path.join(dir, 'ws');
  const series = await createImportService({ workspaceDir });
  const report = await series.importPaths([image], { thumbnails: false });
  const imported = report.series[0];
  if (imported === undefined) throw new Error(`the phantom did not import: ${JSON.stringify(report)}`);
  return { workspaceDir, seriesId: imported.seriesId, phantom, size, depth, series };
}

/** The strokes layer (uint8 over the grid) for the phantom's strokes on `slices`. */
export function strokesLayer(phantom: Phantom, slices: readonly number[]): Uint8Array {
  const strokes = makeStrokes(phantom, slices);
  return Uint8Array.from(strokes, (value) => (value < 0 ? 0 : value === 0 ? backgroundStrokeValue : value));
}

/** A layer as label runs in bytes (what labels.apply and the interactive calls carry). */
export function layerRuns(layer: Uint8Array): Uint8Array {
  return runsToBytes(runsFromLayer(layer));
}
