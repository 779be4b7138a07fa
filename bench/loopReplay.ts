/**
 * Why the interactive loop's versions end below the suite's run (docs/benchmarks.md, session 11):
 * the network side of the loop replayed in one process on `macl bench-loop`'s strokes and
 * schedule (paintedSlices / strokesOnSlice: rounds 3,2 = slices at 20, 50, 80 %, then 35, 65 % of
 * the labelled slices), with the session's parts (InteractiveLayers, sessionTrainingData with the
 * fill, strokeBox, trainedPriorWeights, the fine-tuner restarted for `burst` steps at each edit).
 * Every --every steps the weights are copied as the session copies a version, their batch-norm
 * statistics set as --recal says (range: recalibrated over the strokes' slab, the session's
 * default since session 11; whole: over the whole volume, before; training: the training's own),
 * and scored with the stroke-connected filter against the truth, with their fit to the strokes
 * (the truth-free figure a judge can use: the worst class's share of stroked voxels predicted
 * right). Beside it, what two judges would keep on screen: 'mid' (versionJudge.ts: a version made
 * while the burst runs replaces the shown one only if it fits the strokes at least as well; the
 * burst's last always does) and 'all' (every version judged).
 *
 *   npx esbuild bench/loopReplay.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/loopReplay.cjs
 *   MACL_WASM_THREADS=1 nice -n 5 node test-output/loopReplay.cjs --image ch2.nii.gz --truth ch2-brain.truth.nii.gz \
 *     [--recal range|whole|training] [--rounds 3,2] [--burst 40] [--every 5] [--extra 0]
 */
import { parseArgs } from 'node:util';
import { loadLoopCase } from './lib/loopCase';
import * as tf from '@tensorflow/tfjs';
import { labelDice } from '../src-main/eval/dice';
import { recalibrateBatchNorm } from '../src-main/ml/bnRecalibration';
import { strokeClassBalanced } from '../src-main/ml/crossEntropy';
import { createFinetuner } from '../src-main/ml/finetuner';
import { segmentVolume } from '../src-main/ml/inference';
import { keepStrokeConnected } from '../src-main/ml/keepStrokeConnected';
import { strokeBox } from '../src-main/ml/strokeBox';
import { strokeSlab } from '../src-main/ml/strokeSlab';
import { trainedPriorWeights } from '../src-main/ml/strokePrior';
import { createUNet, type UNet } from '../src-main/ml/unet';
import { pickSlices, sessionTrainingData } from '../src-main/trainer/jobs/interactiveData';
import { buildModel, classesFor } from '../src-main/trainer/jobs/interactiveModel';
import { worstStrokeFit } from '../src-main/trainer/jobs/strokeFit';

const { values } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, rounds: { type: 'string', default: '3,2' }, burst: { type: 'string', default: '40' }, every: { type: 'string', default: '5' }, extra: { type: 'string', default: '0' }, margin: { type: 'string', default: '0.25' }, recal: { type: 'string', default: 'range' }, dir: { type: 'string', default: 'test-output/loopReplay' } } });

async function main(): Promise<void> {
  if (values.image === undefined || values.truth === undefined) throw new Error('Give --image and --truth.');
  const { volume, truth, labels, painted: schedule, layers, paint } = await loadLoopCase(values.image, values.truth, values.rounds, values.dir);
  const { width, height, depth } = volume;
  const plane = width * height;
  const burst = Number(values.burst);
  const every = Number(values.every);
  const model = buildModel(null, classesFor(labels.at(-1) ?? 1), 16, 1);
  const unet = model.unet;
  const classes = unet.spec.classes;
  const tuner = createFinetuner(unet, { totalSteps: burst, batch: 4, lr: 5e-3, seed: 1, classBalanced: strokeClassBalanced });
  const shown = createUNet({ classes, width: unet.spec.width, inChannels: unet.spec.inChannels });
  console.log(`painted ${schedule.join(',')} burst ${burst} extra ${values.extra}`);

  /** The version's statistics as --recal says: over the strokes' slab as the session does (ml/strokeSlab.ts), the whole volume, or the training's. */
  const recalibrate = async (model: UNet, roi: ReturnType<typeof strokeBox>, ks: readonly number[]): Promise<void> => {
    if (values.recal === 'training') return;
    const sliceRange = values.recal === 'whole' ? null : strokeSlab(ks, depth, [], { margin: Number(values.margin) });
    await recalibrateBatchNorm(model, volume, { size: 64, roi, sliceRange });
  };
  interface Shown { model: UNet; frame: { roi: ReturnType<typeof strokeBox>; classWeights: readonly number[] | null }; dice: number; step: number }
  const judged: Record<'mid' | 'all', Shown | null> = { mid: null, all: null };
  const copyOf = (from: UNet): UNet => {
    const copy = createUNet({ classes, width: unet.spec.width, inChannels: unet.spec.inChannels });
    for (const [name, variable] of from.params.entries()) copy.params.get(name).assign(variable);
    return copy;
  };

  const score = async (edit: number, roi: ReturnType<typeof strokeBox>, classWeights: readonly number[] | null, burstEnd: boolean): Promise<void> => {
    for (const [name, variable] of unet.params.entries()) shown.params.get(name).assign(variable);
    const slices = layers.slices();
    const strokeVolume = new Int16Array(truth.length).fill(-1);
    for (const slice of slices) strokeVolume.set(slice.labels, slice.k * plane);
    const ks = slices.map((s) => s.k);
    const fitOf = async (model: UNet, frame: Shown['frame']): Promise<number> => {
      const predicted = (await segmentVolume(model, pickSlices(volume, ks), { size: 64, batch: 8, ...frame })).labels;
      return worstStrokeFit(slices, predicted, plane)?.share ?? 0;
    };
    const diceOf = async (model: UNet, frame: Shown['frame']): Promise<number> => {
      const predicted = (await segmentVolume(model, volume, { size: 64, batch: 8, ...frame })).labels;
      const kept = keepStrokeConnected(predicted, strokeVolume, { width, height, depth }, classes).labels;
      return labels.reduce((sum, l) => sum + labelDice(kept, l, truth, l).dice, 0) / labels.length;
    };
    const frame = { roi, classWeights };
    const t0 = performance.now();
    await recalibrate(shown, roi, ks);
    const recalMs = performance.now() - t0;
    const t1 = performance.now();
    const fit = await fitOf(shown, frame);
    const fitMs = performance.now() - t1;
    const dice = await diceOf(shown, frame);
    const trail: string[] = [];
    for (const policy of ['mid', 'all'] as const) {
      const current = judged[policy];
      let take = current === null || (burstEnd && policy === 'mid');
      let shownFit = NaN;
      if (!take && current !== null) {
        shownFit = await fitOf(current.model, current.frame);
        take = fit >= shownFit;
      }
      if (take) {
        current?.model.dispose();
        judged[policy] = { model: copyOf(shown), frame, dice, step: tuner.step };
      }
      const now = judged[policy] as Shown;
      trail.push(`${policy} ${now.dice.toFixed(3)} (step ${now.step}${Number.isNaN(shownFit) ? '' : `, shown fit ${shownFit.toFixed(3)}`})`);
    }
    console.log(`edit ${edit} step ${tuner.step} | ${values.recal} ${dice.toFixed(3)} fit ${fit.toFixed(3)} | judged ${trail.join(' | ')} | recal ${recalMs.toFixed(0)} ms fit ${fitMs.toFixed(0)} ms`);
  };

  for (const [e, k] of schedule.entries()) {
    paint(k);
    const slices = layers.slices();
    const roi = strokeBox(slices.map((s) => s.labels), width, height);
    const data = sessionTrainingData(volume, slices, 64, roi, {});
    await tuner.setData(data);
    const classWeights = await trainedPriorWeights(data, classes, undefined, strokeClassBalanced);
    tf.dispose([data.images, data.labels]);
    const steps = burst + (e === schedule.length - 1 ? Number(values.extra) : 0);
    tuner.restartSchedule(steps);
    for (let done = 0; done < steps; done += every) {
      await tuner.steps(Math.min(every, steps - done));
      await score(e + 1, roi, classWeights, done + every >= steps);
    }
  }
}

main().catch((thrown: unknown) => {
  console.error(thrown);
  process.exit(1);
});
