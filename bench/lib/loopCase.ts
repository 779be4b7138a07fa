/**
 * What the loop diagnosis scripts (loopReplay.ts, versionCost.ts) load before a run: the WASM
 * backend, a real volume and its truth as `macl bench-loop` reads them, the slices bench-loop
 * paints (paintedSlices over the labelled slices, for `rounds`), and the session's label layers
 * with a paint() that adds bench-loop's strokes on one slice (strokesOnSlice).
 */
import { loadEvalCase } from '../../src-main/eval/evalInputs';
import { labelsPresent } from '../../src-main/eval/evalRun';
import { paintedSlices, strokesOnSlice } from '../../src-main/eval/loopBenchmark';
import { normalizeIntensities } from '../../src-main/ml/normalize';
import type { Volume } from '../../src-main/ml/volume';
import { runsFromChanges, runsToBytes } from '../../src-main/shared/labels/labelRuns';
import { activateBackend } from '../../src-main/trainer/backends/loadBackend';
import { InteractiveLayers } from '../../src-main/trainer/jobs/interactiveLayers';

export interface LoopCase {
  readonly volume: Volume;
  readonly truth: Uint8Array;
  readonly labels: readonly number[];
  /** The slices bench-loop paints, in its order. */
  readonly painted: readonly number[];
  readonly layers: InteractiveLayers;
  /** Adds bench-loop's strokes on slice k to the layers. */
  readonly paint: (k: number) => void;
}

export async function loadLoopCase(image: string, truthPath: string, rounds: string, dir: string): Promise<LoopCase> {
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(load.reason);
  const loaded = await loadEvalCase(image, truthPath, dir);
  const { width, height, depth } = loaded;
  const truth = Uint8Array.from(loaded.truth);
  const labels = labelsPresent(truth);
  const plane = width * height;
  const labelled = Array.from({ length: depth }, (_, k) => k).filter((k) => truth.subarray(k * plane, (k + 1) * plane).some((v) => v !== 0));
  const layers = new InteractiveLayers([width, height, depth]);
  const paint = (k: number): void => {
    const strokes = strokesOnSlice({ width, height, depth, truth }, k, labels);
    layers.apply({ full: false, strokes: runsToBytes(runsFromChanges(Uint32Array.from(strokes.keys()), Uint8Array.from(strokes.values()))) });
  };
  return {
    volume: { data: normalizeIntensities(loaded.image), width, height, depth },
    truth,
    labels,
    painted: paintedSlices(depth, rounds.split(',').map(Number), labelled).flat(),
    layers,
    paint,
  };
}
