/**
 * Why do single fine-tuning runs collapse late (docs/eval-protocol.md, "The same grid with the
 * stroke-connected filter")? Runs one `macl eval-pretrain` run (one arm, K, seed) and prints
 * every step's learning rate, loss and gradient norm, and the volume's mean Dice every --every
 * steps, so a collapse can be laid beside the loss and the gradients.
 *
 * Build and run:
 *   npx esbuild bench/finetuneStability.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/finetuneStability.cjs
 *   MACL_WASM_THREADS=1 nice -n 5 node test-output/finetuneStability.cjs --image T1.nii.gz \
 *     --truth brain.nii.gz --k 3 --seed 5 [--init NAME --workspace DIR] [--lr 5e-3] [--recalibrate] [--every 5]
 */
import { parseArgs } from 'node:util';
import { runEval } from '../src-main/eval/evalRun';
import { loadBrainCase } from './lib/brainCase';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, init: { type: 'string' }, workspace: { type: 'string' }, k: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' }, steps: { type: 'string', default: '60' }, lr: { type: 'string', default: '5e-3' },  every: { type: 'string', default: '5' }, recalibrate: { type: 'boolean' } } });
  if (values.image === undefined || values.truth === undefined) throw new Error('Give --image and --truth.');
  const { evalCase, init } = await loadBrainCase(values.image, values.truth, values.workspace ?? 'test-output/ws', values.init);
  const result = await runEval(evalCase, {
    init, scribbleSlices: Number(values.k), seed: Number(values.seed), steps: Number(values.steps), size: 64, width: 16, batch: 8, lr: Number(values.lr), smoothness: 1, recalibrate: values.recalibrate === true,
    checkpointEvery: Number(values.every),
    onStep: (s) => console.log(`step ${s.step + 1} lr ${s.lr.toExponential(2)} loss ${s.loss.toFixed(4)} gradNorm ${s.gradNorm.toFixed(3)} labelled ${s.labelled}`),
  });
  for (const point of result.curve) console.log(`dice step ${point.step} ${point.meanDice.toFixed(3)}${point.runningStatsDice === undefined ? '' : ` (training's statistics ${point.runningStatsDice.toFixed(3)})`}`);
}

main().catch((thrown: unknown) => {
  console.error(thrown);
  process.exit(1);
});
