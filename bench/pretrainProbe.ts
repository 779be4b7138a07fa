/**
 * Does MACL pre-training learn at the processor's scale? Runs the pre-trainer on real T1 volumes
 * (the ITK example T1, Colin27, INIA19) and prints every step's losses beside their uniform
 * values (what a random encoder gives: 1.4286 ln(2B - 1) for the image- and pixel-level losses),
 * plus the mean pairwise cosine of the encoder's pooled bottleneck on a fixed set of slices before
 * and after (near 1: the encoder does not tell slices apart) and the cosines between the
 * instance projections of one batch (positives, and negatives within and across the branches).
 *
 * Build and run:
 *   npx esbuild bench/pretrainProbe.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/pretrainProbe.cjs
 *   nice -n 5 node test-output/pretrainProbe.cjs --steps 200 [--projector-norm] [--lr 0.01] [--optimizer sgd|adam] [--every 10]
 * Data: MACL_REAL_DATA holds the unpacked Debian packages mricron and insighttoolkit5-examples.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../src-main/trainer/backends/loadBackend';
import { loadImageInput } from '../src-main/trainer/jobs/imageInput';
import { createMaclModel } from '../src-main/ml/maclModel';
import { createPretrainer, makeMaclViews } from '../src-main/ml/pretrainer';
import { createRng } from '../src-main/ml/random';
import { createSliceSampler } from '../src-main/ml/sliceSampler';
import { normalizeIntensities } from '../src-main/ml/normalize';
import { resizeImages } from '../src-main/ml/resample';
import { runEncoder } from '../src-main/ml/encoder';
import { inferenceContext, trainingContext } from '../src-main/ml/batchNorm';
import { slicesTensor, type Volume } from '../src-main/ml/volume';
import type { MaclModel } from '../src-main/ml/maclModel';

const root = process.env.MACL_REAL_DATA ?? '/work/realcache';
const itk = path.join(root, 'insighttoolkit5-examples/usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1UCharRaw.nii.gz');
const templates = path.join(root, 'mricron-data/usr/share/mricron/templates');
const workspace = path.resolve('test-output/ws');

async function loadVolume(file: string, size: number): Promise<Volume> {
  const input = await loadImageInput({ path: file }, workspace);
  const [width, height, depth] = input.volume.geometry.dimensions;
  const data = normalizeIntensities(input.volume.voxels);
  // In-plane resize once, as the archive pool does.
  const resized = tf.tidy(() => resizeImages(tf.tensor4d(data, [depth, height, width, 1]), [size, size]));
  const out = new Float32Array(await resized.data());
  resized.dispose();
  return { data: out, width: size, height: size, depth };
}

/** Mean cosines between the instance projections of one batch: positives (same slice, aux vs dominant), and the negatives within and across branches. */
function instanceCosines(model: MaclModel, images: tf.Tensor4D): string {
  return tf.tidy(() => {
    const views = makeMaclViews(images, createRng(7));
    const out = model.forward(views, trainingContext());
    const unit = (x: tf.Tensor2D): tf.Tensor2D => {
      return tf.div(x, tf.norm(x, 2, 1, true));
    };
    const a = unit(out.auxInstance);
    const d = unit(out.domInstance);
    const n = images.shape[0];
    const offDiag = (m: tf.Tensor2D): number => (tf.sum(m).dataSync()[0]! - tf.sum(tf.mul(m, tf.eye(n))).dataSync()[0]!) / (n * (n - 1));
    const diag = (m: tf.Tensor2D): number => tf.sum(tf.mul(m, tf.eye(n))).dataSync()[0]! / n;
    const ad = tf.matMul(a, d, false, true);
    return `positives ${diag(ad).toFixed(3)}, aux-aux ${offDiag(tf.matMul(a, a, false, true)).toFixed(3)}, dom-dom ${offDiag(tf.matMul(d, d, false, true)).toFixed(3)}, aux-dom other slices ${offDiag(ad).toFixed(3)}`;
  });
}

/** Mean pairwise cosine of the GAP'd bottleneck (inference-mode BN) over `probe` slices. */
function bottleneckCosine(model: MaclModel, probe: tf.Tensor4D): number {
  return tf.tidy(() => {
    const g = tf.mean(runEncoder(model.params, probe, inferenceContext()).bottleneck, [1, 2]) as tf.Tensor2D;
    const unit = tf.div(g, tf.norm(g, 2, 1, true));
    const sim = tf.matMul(unit, unit, false, true);
    const n = probe.shape[0];
    return (tf.sum(sim).dataSync()[0]! - n) / (n * (n - 1));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '200' },
      size: { type: 'string', default: '64' },
      batch: { type: 'string', default: '8' },
      width: { type: 'string', default: '16' },
      lr: { type: 'string' },
      optimizer: { type: 'string', default: 'sgd' },
      temperature: { type: 'string' },
      threshold: { type: 'string' },
      every: { type: 'string', default: '10' },
      backend: { type: 'string', default: 'wasm' },
      volumes: { type: 'string', default: 'itk,ch2,inia19' },
      seed: { type: 'string', default: '1' },
      'projector-norm': { type: 'boolean', default: false },
    },
  });
  const load = await activateBackend(values.backend as 'wasm' | 'cpu');
  if (!load.ok) throw new Error(load.reason);
  const size = Number(values.size);
  const batch = Number(values.batch);
  const steps = Number(values.steps);
  const files: Record<string, string> = { itk, ch2: path.join(templates, 'ch2.nii.gz'), inia19: path.join(templates, 'inia19-t1-brain.nii.gz') };
  const volumes = await Promise.all(values.volumes.split(',').map((v) => loadVolume(files[v] ?? v, size)));
  const sampler = createSliceSampler(volumes, { size, seed: Number(values.seed) });
  const model = createMaclModel({ width: Number(values.width), seed: Number(values.seed), projectorNorm: values['projector-norm'] });
  const first = volumes[0]!;
  const probe = tf.concat(Array.from({ length: 8 }, (_, i) => slicesTensor(first, Math.floor(((i + 0.5) / 8) * first.depth), 1)), 0);
  console.log(`bottleneck cosine before: ${bottleneckCosine(model, probe).toFixed(3)}`);
  const fixed = sampler.sample(batch);
  console.log(`instance cosines before: ${instanceCosines(model, fixed.images)}`);
  if (steps === 0) return;
  const trainer = createPretrainer(model, {
    totalSteps: steps,
    seed: Number(values.seed),
    ...(values.lr === undefined ? {} : { lr: Number(values.lr) }),
    ...(values.temperature === undefined ? {} : { temperature: Number(values.temperature) }),
    ...(values.threshold === undefined ? {} : { positionThreshold: Number(values.threshold) }),
    ...(values.optimizer === 'adam' ? { optimizer: 'adam' as const } : {}),
  });
  const uniform = 1.4286 * Math.log(2 * batch - 1);
  console.log(`uniform value of L_g and L_d: ${uniform.toFixed(3)}`);
  const every = Number(values.every);
  const acc = { g: 0, d: 0, er: 0, n: 0, ms: 0 };
  for (let s = 0; s < steps; s += 1) {
    const b = sampler.sample(batch);
    const r = await trainer.trainStep(b);
    b.images.dispose();
    acc.g += r.global; acc.d += r.dense; acc.er += r.er; acc.n += 1; acc.ms += r.ms;
    if ((s + 1) % every === 0) {
      console.log(`steps ${s + 2 - acc.n}-${s + 1}: L_g ${(acc.g / acc.n).toFixed(3)}  L_d ${(acc.d / acc.n).toFixed(3)}  L_ER ${(acc.er / acc.n).toFixed(4)}  lr ${r.lr.toExponential(2)}  ${(acc.ms / acc.n).toFixed(0)} ms/step`);
      Object.assign(acc, { g: 0, d: 0, er: 0, n: 0, ms: 0 });
    }
  }
  console.log(`bottleneck cosine after: ${bottleneckCosine(model, probe).toFixed(3)}`);
  console.log(`instance cosines after: ${instanceCosines(model, fixed.images)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
