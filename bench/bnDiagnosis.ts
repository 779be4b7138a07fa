/**
 * Batch-norm statistics at inference, from one fine-tuned model: the same
 * training as `macl eval` (src-main/eval/evalRun.ts: strokes on K slices,
 * scratch, resized slices), then the volume segmented with (a) the running
 * statistics training left, (b) statistics recalibrated over slices spread
 * through the volume (ml/bnRecalibration.ts), (c) the same over every slice.
 * Prints one JSON line per seed with the Dice of each, the predicted voxels
 * and the loss curve (every 10 steps), to diagnose failed seeds.
 *
 *   npx esbuild bench/bnDiagnosis.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/bnDiagnosis.cjs
 *   MACL_REAL_DATA=... nice -n 5 node test-output/bnDiagnosis.cjs --case ch2-brain --seeds 1
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { labelDice } from '../src-main/eval/dice';
import { simulateScribbles } from '../src-main/eval/scribble';
import { suiteCase } from '../src-main/eval/suiteCases';
import { defaultDataDir, prepareSuiteCase } from '../src-main/eval/suiteData';
import { recalibrateBatchNorm } from '../src-main/ml/bnRecalibration';
import { createFinetuner } from '../src-main/ml/finetuner';
import { segmentVolume } from '../src-main/ml/inference';
import { normalizeIntensities } from '../src-main/ml/normalize';
import { createFinetuneUNet } from '../src-main/ml/transfer';
import { activateBackend } from '../src-main/trainer/backends/loadBackend';
import { finetuneDataOf } from '../src-main/trainer/jobs/finetuneData';
import { finetuneBenchOptions } from './lib/finetuneBenchOptions';

const { values } = parseArgs({ options: finetuneBenchOptions('itk-brain') });

async function main(): Promise<void> {
  const load = await activateBackend('wasm');
  if (!load.ok) throw new Error(load.reason);
  const c = suiteCase(values.case);
  const prepared = await prepareSuiteCase(c, process.env.MACL_REAL_DATA ?? defaultDataDir());
  const size = Number(values.size);
  const steps = Number(values.steps);
  const volume = { data: normalizeIntensities(prepared.image), width: prepared.width, height: prepared.height, depth: prepared.depth };
  for (const seed of values.seeds.split(',').map(Number)) {
    const scribbles = simulateScribbles(prepared.truth, prepared, prepared.labels, { slicesPerLabel: Number(values.k) });
    const unet = createFinetuneUNet({ classes: prepared.labels.length + 1, width: Number(values.width), seed }, null);
    const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, size);
    const tuner = createFinetuner(unet, { totalSteps: steps, batch: Number(values.batch), seed: seed + 1, lr: Number(values.lr), classBalanced: false, ...(values.intensity ? { intensity: {} } : {}) });
    await tuner.setData(data);
    tf.dispose([data.images, data.labels]);
    const losses: number[] = [];
    const t0 = performance.now();
    await tuner.steps(steps, (s) => {
      if (s.step % 10 === 0 || s.step === steps - 1) losses.push(Number(s.loss.toFixed(3)));
    });
    const trainS = (performance.now() - t0) / 1000;
    const score = async (): Promise<{ dice: number[]; predicted: number[]; s: number }> => {
      const t = performance.now();
      const p = await segmentVolume(unet, volume, { size, batch: 8 });
      const overlaps = scribbles.perLabel.map((l) => labelDice(p.labels, l.classIndex, prepared.truth, l.label));
      return { dice: overlaps.map((o) => Number(o.dice.toFixed(3))), predicted: overlaps.map((o) => o.predictedVoxels), s: Number(((performance.now() - t) / 1000).toFixed(1)) };
    };
    const running = await score();
    let t = performance.now();
    await recalibrateBatchNorm(unet, volume, { size, slices: 32 });
    const recal32S = (performance.now() - t) / 1000;
    const recal32 = await score();
    t = performance.now();
    await recalibrateBatchNorm(unet, volume, { size, slices: volume.depth });
    const recalAllS = (performance.now() - t) / 1000;
    const recalAll = await score();
    console.log(JSON.stringify({ case: values.case, seed, k: Number(values.k), steps, size, intensity: values.intensity, slices: scribbles.slices, truth: scribbles.perLabel.map((l) => l.structureVoxels), running, recal32: { ...recal32, recalS: Number(recal32S.toFixed(2)) }, recalAll: { ...recalAll, recalS: Number(recalAllS.toFixed(2)) }, trainS: Number(trainS.toFixed(1)), losses }));
    tuner.dispose();
    unet.dispose();
  }
}

main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
