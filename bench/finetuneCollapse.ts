/**
 * Where does a late collapse of a fine-tuning run live: in the weights or in the batch-norm
 * running statistics? Runs one eval-pretrain run (one arm, K, seed) as evalRun does, copies
 * every parameter every --every steps, and at the end segments the volume with the weights of
 * one checkpoint and the running statistics of another: the best checkpoint's weights with the
 * last statistics and the last weights with the best checkpoint's statistics; then the last
 * version after recalibrating the statistics on the whole volume (ml/bnRecalibration.ts).
 *
 *   npx esbuild bench/finetuneCollapse.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/finetuneCollapse.cjs
 *   MACL_WASM_THREADS=1 nice -n 5 node test-output/finetuneCollapse.cjs --image T1.nii.gz \
 *     --truth brain.nii.gz --k 3 --seed 5 [--init NAME --workspace DIR] [--lr 5e-3]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../src-main/trainer/backends/loadBackend';
import { loadEvalCase } from '../src-main/eval/evalInputs';
import { scoreScribbled } from '../src-main/eval/scoreScribbled';
import { simulateScribbles } from '../src-main/eval/scribble';
import { recalibrateBatchNorm } from '../src-main/ml/bnRecalibration';
import { createFinetuner } from '../src-main/ml/finetuner';
import { segmentVolume } from '../src-main/ml/inference';
import { normalizeIntensities } from '../src-main/ml/normalize';
import { decodeParams } from '../src-main/ml/serialize';
import { createFinetuneUNet } from '../src-main/ml/transfer';
import { finetuneDataOf } from '../src-main/trainer/jobs/finetuneData';
import { openModelRegistry } from '../src-main/workspace/modelRegistry';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, init: { type: 'string' }, workspace: { type: 'string' }, k: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' }, steps: { type: 'string', default: '60' }, lr: { type: 'string', default: '5e-3' }, every: { type: 'string', default: '5' } } });
  if (values.image === undefined || values.truth === undefined) throw new Error('Give --image and --truth.');
  await activateBackend('wasm');
  const workspace = values.workspace ?? 'test-output/ws';
  const loaded = await loadEvalCase(values.image, values.truth, workspace);
  const grid = { width: loaded.width, height: loaded.height, depth: loaded.depth };
  const truth = Uint8Array.from(loaded.truth, (v) => (v > 0 ? 1 : 0));
  const init = values.init === undefined ? null : decodeParams((await (await openModelRegistry(workspace)).load(values.init)).artifact);
  const seed = Number(values.seed);
  const steps = Number(values.steps);
  const every = Number(values.every);
  const scribbles = simulateScribbles(truth, grid, [1], { slicesPerLabel: Number(values.k) });
  const volume = { data: normalizeIntensities(loaded.image), ...grid };
  const unet = createFinetuneUNet({ classes: 2, width: 16, seed }, init);
  const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, 64);
  const tuner = createFinetuner(unet, { totalSteps: steps, batch: 8, seed: seed + 1, lr: Number(values.lr), smoothness: { weight: 1 } });
  await tuner.setData(data);
  const score = async (): Promise<string> => {
    const [r] = scoreScribbled((await segmentVolume(unet, volume, { size: 64, batch: 8 })).labels, { ...grid, truth }, scribbles, true);
    return `dice ${r!.dice.toFixed(3)} unfiltered ${r!.unfilteredDice?.toFixed(3)} predicted ${r!.predictedVoxels} truth ${r!.truthVoxels}`;
  };
  const snapshots = new Map<number, Map<string, tf.Tensor>>();
  const dices = new Map<number, number>();
  for (let done = 0; done < steps; done += every) {
    await tuner.steps(every);
    snapshots.set(done + every, new Map(unet.params.entries().map(([n, v]) => [n, tf.clone(v)])));
    const line = await score();
    dices.set(done + every, Number(line.split(' ')[1]));
    console.log(`step ${done + every} ${line}`);
  }
  const best = [...dices].filter(([s]) => s < steps).sort((a, b) => b[1] - a[1])[0]![0];
  const put = (weightsAt: number, statsAt: number): void => {
    for (const [name, v] of unet.params.entries()) {
      const isStat = name.endsWith('.mean') || name.endsWith('.var');
      v.assign(snapshots.get(isStat ? statsAt : weightsAt)!.get(name)!);
    }
  };
  for (const [w, s] of [[best, best], [best, steps], [steps, best], [steps, steps]] as const) {
    put(w, s);
    console.log(`weights of step ${w}, statistics of step ${s}: ${await score()}`);
  }
  await recalibrateBatchNorm(unet, volume, { size: 64 });
  console.log(`step ${steps} recalibrated on the volume: ${await score()}`);
}

main().catch((thrown: unknown) => {
  console.error(thrown);
  process.exit(1);
});
