/**
 * Where one `macl eval` run's errors lie, slice by slice (docs/eval-protocol.md,
 * "Colin27 whole brain: where the errors are", session 10): runs the protocol
 * once as the suite does (scratch, size 64, width 16, batch 4, lr 5e-3, the
 * current defaults), keeps the final class map, applies the stroke-connected
 * filter and sorts the false positives and negatives of structure 1 by
 * - the slice's distance from the nearest painted slice (0 = painted),
 * - in-plane distance from the truth's edge: within 3 voxels ("edge") or
 *   further ("deep" for a miss inside, "away" for a false positive in the
 *   scalp, skull base or neck).
 *
 *   npx esbuild bench/sliceErrorProbe.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/sliceErrorProbe.cjs
 *   MACL_REAL_DATA=<cache> MACL_WASM_THREADS=1 nice -n 5 node test-output/sliceErrorProbe.cjs --case ch2-brain --seed 2
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runEval } from '../src-main/eval/evalRun';
import { suiteCase } from '../src-main/eval/suiteCases';
import { defaultDataDir, prepareSuiteCase } from '../src-main/eval/suiteData';
import { keepStrokeConnected } from '../src-main/ml/keepStrokeConnected';
import { activateBackend } from '../src-main/trainer/backends/loadBackend';

const { values } = parseArgs({ options: { case: { type: 'string', default: 'ch2-brain' }, seed: { type: 'string', default: '2' }, steps: { type: 'string', default: '120' } } });

/** Errors of one slice; "edge" = within 3 voxels in-plane of the truth's edge. */
interface SliceErrors {
  truth: number;
  fpEdge: number;
  fpAway: number;
  fnEdge: number;
  fnDeep: number;
  hit: number;
}

/** Counts the errors of class `c` on slice z. */
function sliceErrors(pred: Uint8Array, truth: Uint8Array, width: number, height: number, z: number, c: number): SliceErrors {
  const plane = width * height;
  const base = z * plane;
  const counts: SliceErrors = { truth: 0, fpEdge: 0, fpAway: 0, fnEdge: 0, fnDeep: 0, hit: 0 };
  const nearOther = (x: number, y: number, inside: boolean): boolean => {
    for (let dy = -3; dy <= 3; dy += 1) for (let dx = -3; dx <= 3; dx += 1) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      if ((truth[base + yy * width + xx] === c) !== inside) return true;
    }
    return false;
  };
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) {
    const i = base + y * width + x;
    const p = pred[i] === c;
    const t = truth[i] === c;
    if (t) counts.truth += 1;
    if (p && t) counts.hit += 1;
    else if (p) {
      if (nearOther(x, y, false)) counts.fpEdge += 1;
      else counts.fpAway += 1;
    } else if (t) {
      if (nearOther(x, y, true)) counts.fnEdge += 1;
      else counts.fnDeep += 1;
    }
  }
  return counts;
}

function add(into: SliceErrors, from: SliceErrors): void {
  into.truth += from.truth;
  into.fpEdge += from.fpEdge;
  into.fpAway += from.fpAway;
  into.fnEdge += from.fnEdge;
  into.fnDeep += from.fnDeep;
  into.hit += from.hit;
}

const bins: readonly [number, number][] = [[0, 0], [1, 5], [6, 15], [16, 30], [31, 60], [61, 1000]];

async function main(): Promise<void> {
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(load.reason);
  const prepared = await prepareSuiteCase(suiteCase(values.case), defaultDataDir());
  const { width, height, depth } = prepared;
  let captured: { prediction: Uint8Array; strokes: Int32Array; slices: readonly number[] } | null = null;
  const result = await runEval(prepared, {
    scribbleSlices: 3, labels: prepared.labels, init: null, seed: Number(values.seed), steps: Number(values.steps), size: 64, width: 16, batch: 4, lr: 5e-3,
    onPrediction: (prediction, scribbles) => {
      captured = { prediction, strokes: scribbles.labels, slices: scribbles.slices };
    },
  });
  const run = captured as { prediction: Uint8Array; strokes: Int32Array; slices: readonly number[] } | null;
  if (run === null) throw new Error('no prediction was captured');
  const label = result.labels[0];
  console.log(`${values.case} seed ${values.seed}: Dice ${label?.dice.toFixed(3)} (unfiltered ${label?.unfilteredDice?.toFixed(3)}), painted slices ${run.slices.join(', ')}`);
  // The raw class map and the strokes, for offline looks at post-processing (test-output/, not committed).
  writeFileSync(`test-output/prediction-${values.case}-${values.seed}.bin`, run.prediction);
  writeFileSync(`test-output/strokes-${values.case}-${values.seed}.bin`, new Uint8Array(run.strokes.map((v) => v + 1)));
  const kept = keepStrokeConnected(run.prediction, run.strokes, prepared, prepared.labels.length + 1).labels;
  const truth = new Uint8Array(prepared.truth.length);
  for (let i = 0; i < truth.length; i += 1) truth[i] = prepared.truth[i] === prepared.labels[0] ? 1 : 0;
  const perSlice = Array.from({ length: depth }, (_, z) => sliceErrors(kept, truth, width, height, z, 1));
  const distance = (z: number): number => Math.min(...run.slices.map((s) => Math.abs(s - z)));
  console.log('distance from painted | slices | truth | hit | fn edge | fn deep | fp edge | fp away | Dice');
  for (const [lo, hi] of bins) {
    const sum: SliceErrors = { truth: 0, fpEdge: 0, fpAway: 0, fnEdge: 0, fnDeep: 0, hit: 0 };
    let n = 0;
    perSlice.forEach((e, z) => {
      const d = distance(z);
      if (d < lo || d > hi) return;
      add(sum, e);
      n += 1;
    });
    if (n === 0) continue;
    const predicted = sum.hit + sum.fpEdge + sum.fpAway;
    const dice = sum.truth + predicted === 0 ? 1 : (2 * sum.hit) / (sum.truth + predicted);
    console.log(`${lo}-${hi} | ${n} | ${sum.truth} | ${sum.hit} | ${sum.fnEdge} | ${sum.fnDeep} | ${sum.fpEdge} | ${sum.fpAway} | ${dice.toFixed(3)}`);
  }
  console.log('slice (distance): truth hit fnEdge fnDeep fpEdge fpAway, every 5th slice');
  perSlice.forEach((e, z) => {
    if (z % 5 !== 0 && !run.slices.includes(z)) return;
    console.log(`  z ${z} (${distance(z)}): ${e.truth} ${e.hit} ${e.fnEdge} ${e.fnDeep} ${e.fpEdge} ${e.fpAway}`);
  });
}

main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
