/**
 * Why does a SimCVD run on the MACL init collapse late (docs/eval-protocol.md, "Late collapses and
 * the batch-norm statistics": macl+simcvd K = 3 seed 5, 0.91 at step 40 -> 0.42 at step 50)? Runs
 * one `macl eval-pretrain` SimCVD run and prints every step's rate, loss and gradient norm beside
 * each SimCVD term (unweighted) and the ramp-up weight, and the volume's mean Dice every --every
 * steps (recalibrated, and with the training's statistics). The weights can be changed to test a
 * term as the cause (e.g. --consistency 0).
 *
 * Build and run:
 *   npx esbuild bench/simcvdTerms.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/simcvdTerms.cjs
 *   MACL_WASM_THREADS=1 nice -n 5 node test-output/simcvdTerms.cjs --image T1.nii.gz --truth brain.nii.gz \
 *     --k 3 --seed 5 [--init NAME --workspace DIR] [--every 5] [--contrast W --distillation W --consistency W]
 */
import { parseArgs } from 'node:util';
import { runEval } from '../src-main/eval/evalRun';
import { loadBrainCase } from './lib/brainCase';
import type { SimcvdTerms } from '../src-main/ml/simcvd/simcvdExtension';

const optionalNumber = (raw: string | undefined): number | undefined => (raw === undefined ? undefined : Number(raw));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, init: { type: 'string' }, workspace: { type: 'string' }, k: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' }, steps: { type: 'string', default: '60' }, every: { type: 'string', default: '5' }, contrast: { type: 'string' }, distillation: { type: 'string' }, consistency: { type: 'string' } } });
  if (values.image === undefined || values.truth === undefined) throw new Error('Give --image and --truth.');
  const { evalCase, init } = await loadBrainCase(values.image, values.truth, values.workspace ?? 'test-output/ws', values.init);
  // The fine-tuner may run forward() more than once a step (a warm-up); the last call before onStep is the step's.
  let terms: SimcvdTerms | null = null;
  const weights = { contrastWeight: optionalNumber(values.contrast), distillationWeight: optionalNumber(values.distillation), consistencyWeight: optionalNumber(values.consistency) };
  const simcvd = { ...Object.fromEntries(Object.entries(weights).filter(([, w]) => w !== undefined)), onTerms: (t: SimcvdTerms) => { terms = t; } };
  const result = await runEval(evalCase, {
    init, method: 'simcvd', simcvd, scribbleSlices: Number(values.k), seed: Number(values.seed), steps: Number(values.steps), size: 64, width: 16, batch: 8, lr: 5e-3, smoothness: 1,
    recalibrate: true, checkpointEvery: Number(values.every),
    onStep: (s) => {
      const t: SimcvdTerms | null = terms;
      const described = t === null ? '' : ` dice ${t.dice.toFixed(4)} distance ${t.distance.toFixed(4)} contrast ${t.contrast.toFixed(4)} distillation ${t.distillation.toFixed(4)} consistency ${t.consistency.toFixed(5)} ramp ${t.ramp.toFixed(3)} extra ${t.extra.toFixed(4)}`;
      console.log(`step ${s.step + 1} lr ${s.lr.toExponential(2)} loss ${s.loss.toFixed(4)} gradNorm ${s.gradNorm.toFixed(3)}${described}`);
    },
  });
  for (const point of result.curve) console.log(`dice step ${point.step} ${point.meanDice.toFixed(3)}${point.runningStatsDice === undefined ? '' : ` (training's statistics ${point.runningStatsDice.toFixed(3)})`}`);
}

main().catch((thrown: unknown) => {
  console.error(thrown);
  process.exit(1);
});
