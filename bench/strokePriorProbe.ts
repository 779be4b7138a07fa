/**
 * The strokes' class prior on one trained model (docs/eval-protocol.md,
 * "Region of interest and the strokes' prior"): fine-tunes once as `macl eval`
 * does (scratch, the protocol's strokes, the suite's processor defaults),
 * then segments the volume with the strokes' prior undone to each power
 * (ml/strokePrior.ts) and prints the
 * Dice per structure after the stroke-connected filter, and where the
 * errors lie (false positives / negatives within 3 voxels of the truth's
 * edge in-plane, or further).
 *
 *   npx esbuild bench/strokePriorProbe.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/strokePriorProbe.cjs
 *   MACL_REAL_DATA=<cache> MACL_WASM_THREADS=1 nice -n 5 node test-output/strokePriorProbe.cjs --case ch2-brain --seed 1 [--roi off] [--balanced on] [--recalibrate off] [--smoothness W] [--alphas 0,0.5,1]
 */
import { parseArgs } from 'node:util';
import { loadScribbledSuiteCase } from './lib/scribbledSuiteCase';
import { labelDice } from '../src-main/eval/dice';
import { createFinetuner } from '../src-main/ml/finetuner';
import { segmentVolume } from '../src-main/ml/inference';
import { keepStrokeConnected } from '../src-main/ml/keepStrokeConnected';
import { recalibrateBatchNorm } from '../src-main/ml/bnRecalibration';
import { priorWeights, strokeClassShares } from '../src-main/ml/strokePrior';
import { createFinetuneUNet } from '../src-main/ml/transfer';
import { finetuneDataOf } from '../src-main/trainer/jobs/finetuneData';

const { values } = parseArgs({ options: { case: { type: 'string', default: 'ch2-brain' }, seed: { type: 'string', default: '1' }, steps: { type: 'string', default: '120' }, roi: { type: 'string', default: 'on' }, balanced: { type: 'string', default: 'off' }, recalibrate: { type: 'string', default: 'on' }, smoothness: { type: 'string', default: '' }, batch: { type: 'string', default: '4' }, lr: { type: 'string', default: '5e-3' }, alphas: { type: 'string', default: '0,0.25,0.5,0.75,1' } } });
/** Each entry alpha or alpha:cap. */

/** Voxels of class c wrongly predicted (fp) or missed (fn), split by distance to the truth's in-plane edge (<= 3 voxels: near). */
function errorPlaces(pred: Uint8Array, truth: Uint8Array, width: number, height: number, depth: number, c: number): string {
  let nearFp = 0;
  let farFp = 0;
  let nearFn = 0;
  let farFn = 0;
  const plane = width * height;
  const near = (z: number, x: number, y: number, inside: boolean): boolean => {
    for (let dy = -3; dy <= 3; dy += 1) for (let dx = -3; dx <= 3; dx += 1) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      if ((truth[z * plane + yy * width + xx] === c) !== inside) return true;
    }
    return false;
  };
  for (let z = 0; z < depth; z += 1) for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) {
    const i = z * plane + y * width + x;
    const p = pred[i] === c;
    const t = truth[i] === c;
    if (p === t) continue;
    if (p) {
      if (near(z, x, y, false)) nearFp += 1;
      else farFp += 1;
    } else if (near(z, x, y, true)) nearFn += 1;
    else farFn += 1;
  }
  return `fp ${nearFp}+${farFp} fn ${nearFn}+${farFn} (near+far)`;
}

async function main(): Promise<void> {
  const { prepared, scribbles, volume, roi } = await loadScribbledSuiteCase(values.case, values.roi !== 'off');
  const { width, height, depth } = prepared;
  const seed = Number(values.seed);
  const steps = Number(values.steps);
  const plane = width * height;
  const size = 64;
  const unet = createFinetuneUNet({ classes: prepared.labels.length + 1, width: 16, seed }, null);
  const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, size, roi);
  const tuner = createFinetuner(unet, { totalSteps: steps, batch: Number(values.batch), seed: seed + 1, classBalanced: values.balanced === 'on', lr: Number(values.lr), ...(values.smoothness === '' ? {} : { smoothness: { weight: Number(values.smoothness) } }) });
  await tuner.setData(data);
  const shares = strokeClassShares(await data.labels.data(), prepared.labels.length + 1);
  console.log(`stroked shares per class: ${shares.map((v) => v.toFixed(3)).join(' / ')}`);
  data.images.dispose();
  data.labels.dispose();
  const last = await tuner.steps(steps);
  console.log(`${values.case} seed ${seed} roi ${roi === null ? 'none' : `${roi.width}x${roi.height}`}: last loss ${last.loss.toFixed(3)}`);
  // As `macl eval` does by default (ml/bnRecalibration.ts).
  if (values.recalibrate === 'on') await recalibrateBatchNorm(unet, volume, { size, roi });
  const truth = new Uint8Array(prepared.truth.length);
  const index = new Map(prepared.labels.map((label, i) => [label, i + 1]));
  for (let i = 0; i < truth.length; i += 1) truth[i] = index.get(prepared.truth[i] ?? 0) ?? 0;
  for (const entry of values.alphas.split(',')) {
    const [alpha = 0, cap = Infinity] = entry.split(':').map(Number);
    const started = performance.now();
    const raw = (await segmentVolume(unet, volume, { size, batch: 4, roi, classWeights: alpha === 0 && values.balanced !== 'on' ? null : priorWeights(shares, alpha, cap, values.balanced === 'on') })).labels;
    const seconds = (performance.now() - started) / 1000;
    const kept = keepStrokeConnected(raw, scribbles.labels, prepared, prepared.labels.length + 1).labels;
    const dice = prepared.labels.map((_, i) => labelDice(kept, i + 1, truth, i + 1).dice.toFixed(3));
    const unfiltered = prepared.labels.map((_, i) => labelDice(raw, i + 1, truth, i + 1).dice.toFixed(3));
    let right = 0;
    let stroked = 0;
    for (const z of scribbles.slices) for (let i = z * plane; i < (z + 1) * plane; i += 1) {
      const c = scribbles.labels[i] ?? -1;
      if (c < 1) continue;
      stroked += 1;
      if (raw[i] === c) right += 1;
    }
    const places = prepared.labels.length === 1 ? ` ${errorPlaces(kept, truth, width, height, depth, 1)}` : '';
    console.log(`  alpha ${alpha} cap ${cap}: ${dice.join(' / ')} (unfiltered ${unfiltered.join(' / ')}; structure strokes right ${(right / stroked).toFixed(2)})${places} (${seconds.toFixed(1)} s)`);
  }
  tuner.dispose();
  unet.dispose();
}

main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
