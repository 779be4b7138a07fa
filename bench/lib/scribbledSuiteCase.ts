/**
 * What the stroke diagnosis scripts (strokeFitProbe.ts, strokePriorProbe.ts) load before a run:
 * the WASM backend, a suite case with the protocol's strokes on 3 slices per structure, its
 * normalised volume and the strokes' region of interest (or none).
 */
import { simulateScribbles, type Scribbles } from '../../src-main/eval/scribble';
import { suiteCase } from '../../src-main/eval/suiteCases';
import { defaultDataDir, prepareSuiteCase, type PreparedCase } from '../../src-main/eval/suiteData';
import { normalizeIntensities } from '../../src-main/ml/normalize';
import { strokeBox, type SliceBox } from '../../src-main/ml/strokeBox';
import type { Volume } from '../../src-main/ml/volume';
import { activateBackend } from '../../src-main/trainer/backends/loadBackend';

export interface ScribbledSuiteCase {
  readonly prepared: PreparedCase;
  readonly scribbles: Scribbles;
  readonly volume: Volume;
  readonly roi: SliceBox | null;
}

export async function loadScribbledSuiteCase(caseId: string, roiOn: boolean): Promise<ScribbledSuiteCase> {
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(load.reason);
  const prepared = await prepareSuiteCase(suiteCase(caseId), defaultDataDir());
  const { width, height, depth } = prepared;
  const scribbles = simulateScribbles(prepared.truth, prepared, prepared.labels, { slicesPerLabel: 3 });
  const volume = { data: normalizeIntensities(prepared.image), width, height, depth };
  const plane = width * height;
  const roi = roiOn ? strokeBox(scribbles.slices.map((z) => scribbles.labels.subarray(z * plane, (z + 1) * plane)), width, height) : null;
  return { prepared, scribbles, volume, roi };
}
