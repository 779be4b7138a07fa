/**
 * Quality and speed of the simulated radiologist (src-main/eval/evalRun.ts,
 * the code of `macl eval`) on real brain MR, for design decisions on the
 * fine-tuning loop. Three cases, each stroked on K slices per structure:
 *   itk     ITK's KmeansTest T1 (128x128x62, 2x2x3 mm): tissue classes 5 and 6 of its skull strip;
 *   brain   Colin27 (ch2, 181x217x181, 1 mm, whole head): brain = ch2bet > 0;
 *   nuclei  Colin27 with the AAL atlas: left caudate, putamen, pallidum, thalamus.
 * Prints one JSON line per run: Dice per label, seconds, the settings.
 *
 * Build and run (see docs/eval-protocol.md, "Design changes measured on real images"):
 *   npx esbuild bench/realQuality.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/realQuality.cjs
 *   nice -n 5 node test-output/realQuality.cjs --case itk --seeds 1,2
 * Data: MACL_REAL_DATA (default /work/realdata) holds the unpacked Debian packages
 * mricron (templates/) and insighttoolkit5-examples (examples/Data/).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEvalCase } from '../src-main/eval/evalInputs';
import { runEval, type EvalCase, type EvalOptions } from '../src-main/eval/evalRun';
import { loadImageInput } from '../src-main/trainer/jobs/imageInput';
import { activateBackend } from '../src-main/trainer/backends/loadBackend';
import { finetuneBenchOptions } from './lib/finetuneBenchOptions';

const root = process.env.MACL_REAL_DATA ?? '/work/realdata';
const mricron = path.join(root, 'm/usr/share/mricron/templates');
const itkData = path.join(root, 'x/usr/share/doc/insighttoolkit5-examples/examples/Data');
const workspace = path.resolve('test-output/ws');

/** AAL values of the left caudate, putamen, pallidum and thalamus (aal.nii.txt: 71, 73, 75, 77). */
const nucleiLabels = [71, 73, 75, 77];

async function loadCase(name: string): Promise<{ evalCase: EvalCase; labels: number[] }> {
  if (name === 'itk') {
    const c = await loadEvalCase(path.join(itkData, 'KmeansTest_T1UCharRaw.nii.gz'), path.join(itkData, 'KmeansTest_T1RawSkullStrip.nii.gz'), workspace);
    // Class 4 has 126 voxels in all: 5 (15,667) and 6 (112,679) are the two tissue classes worth scoring.
    return { evalCase: c, labels: [5, 6] };
  }
  const c = await loadEvalCase(path.join(mricron, 'ch2.nii.gz'), path.join(mricron, 'aal.nii.gz'), workspace);
  if (name === 'nuclei') return { evalCase: c, labels: nucleiLabels };
  if (name === 'brain') {
    const bet = await loadImageInput({ path: path.join(mricron, 'ch2bet.nii.gz') }, workspace);
    const truth = new Uint8Array(bet.volume.voxels.length);
    bet.volume.voxels.forEach((v, i) => (truth[i] = v > 0 ? 1 : 0));
    return { evalCase: { ...c, truth }, labels: [1] };
  }
  throw new Error(`unknown case "${name}" (itk, brain, nuclei)`);
}

const { values } = parseArgs({
  options: {
    ...finetuneBenchOptions('itk'),
    sampling: { type: 'string' },
    smoothness: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});

async function main(): Promise<void> {
  const load = await activateBackend(values.backend as 'wasm');
  if (!load.ok) throw new Error(load.reason);
  const { evalCase, labels } = await loadCase(values.case);
  for (const seed of values.seeds.split(',').map(Number)) {
    const options: EvalOptions = {
      scribbleSlices: Number(values.k),
      labels,
      init: null,
      steps: Number(values.steps),
      seed,
      size: Number(values.size),
      width: Number(values.width),
      batch: Number(values.batch),
      lr: Number(values.lr),
      ...(values.smoothness === undefined ? {} : { smoothness: Number(values.smoothness) }),
      intensityAugment: values.intensity,
      ...(values.sampling === undefined ? {} : { sampling: values.sampling as EvalOptions['sampling'] }),
    };
    const r = await runEval(evalCase, options);
    const dice = Object.fromEntries(r.labels.map((l) => [l.label, Number(l.dice.toFixed(3))]));
    const voxels = Object.fromEntries(r.labels.map((l) => [l.label, `${l.predictedVoxels}/${l.truthVoxels}`]));
    console.log(JSON.stringify({ case: values.case, seed, dice, mean: Number(r.meanDice.toFixed(3)), voxels, finetuneS: Number(r.finetuneSeconds.toFixed(1)), inferS: Number(r.inferenceSeconds.toFixed(1)), steps: r.steps, size: r.size, width: r.width, batch: r.batch, lr: options.lr, sampling: r.sampling, intensity: values.intensity, k: options.scribbleSlices, backend: r.backend, loss: [Number(r.lossFirst.toFixed(3)), Number(r.lossLast.toFixed(3))] }));
  }
}

main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
