/**
 * Does the fine-tuner fit the strokes? (docs/eval-protocol.md, "Why the network did not fit the
 * strokes of small structures"). Builds the eval's training data (the protocol's strokes, the box,
 * 64-px slices), prints what reaches the loss per class (native, after crop and resize, after the
 * augmentation), then fine-tunes and prints every --every steps each class's share of stroked
 * training pixels predicted right and its CE, in training and inference mode.
 *
 *   npx esbuild bench/strokeFitProbe.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/strokeFitProbe.cjs
 *   MACL_REAL_DATA=<cache> MACL_WASM_THREADS=1 nice -n 5 node test-output/strokeFitProbe.cjs --case ch2-deep-grey \
 *     [--seed 1 --steps 120 --every 20 --smooth 1 --aug default|none|noflip|noflip-small|pretraining --balanced on|off --guard on|off]
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { loadScribbledSuiteCase } from './lib/scribbledSuiteCase';
import { createFinetuner } from '../src-main/ml/finetuner';
import { inferenceContext, trainingContext } from '../src-main/ml/batchNorm';
import { createFinetuneUNet } from '../src-main/ml/transfer';
import { augmentWithLabels, noAugmentation, type AugmentOptions } from '../src-main/ml/augment';
import { createRng } from '../src-main/ml/random';
import { finetuneDataOf } from '../src-main/trainer/jobs/finetuneData';

const { values } = parseArgs({ options: { case: { type: 'string', default: 'ch2-deep-grey' }, seed: { type: 'string', default: '1' }, steps: { type: 'string', default: '120' }, every: { type: 'string', default: '20' }, smooth: { type: 'string', default: '1' }, aug: { type: 'string', default: 'default' }, balanced: { type: 'string', default: 'off' }, batch: { type: 'string', default: '4' }, lr: { type: 'string', default: '5e-3' }, roi: { type: 'string', default: 'on' }, guard: { type: 'string', default: 'on' } } });

function augOf(name: string): AugmentOptions | undefined {
  if (name === 'default') return undefined;
  if (name === 'pretraining') return {};
  if (name === 'none') return noAugmentation;
  if (name === 'noflip') return { flip: false };
  if (name === 'noflip-small') return { flip: false, rotation: [-0.26, 0.26], scale: [0.85, 1.15] };
  throw new Error(name);
}

async function main(): Promise<void> {
  const { prepared, scribbles, volume, roi } = await loadScribbledSuiteCase(values.case, values.roi !== 'off');
  const { width, height } = prepared;
  const seed = Number(values.seed);
  const steps = Number(values.steps);
  const classes = prepared.labels.length + 1;
  const plane = width * height;
  console.log(`slices ${scribbles.slices.length}: ${scribbles.slices.join(',')} roi ${JSON.stringify(roi)}`);
  const native = new Array(classes + 1).fill(0);
  for (const z of scribbles.slices) for (let i = z * plane; i < (z + 1) * plane; i++) native[(scribbles.labels[i] ?? -1) + 1] += 1;
  console.log(`native stroke voxels per class (-1,0..): ${native.join(' ')}`);
  const data = finetuneDataOf(volume, scribbles.labels, scribbles.slices, 64, roi);
  const labels = (await data.labels.data()) as Int32Array;
  const counts = new Array(classes + 1).fill(0);
  for (const v of labels) counts[v + 1] += 1;
  console.log(`after crop+resize per class (-1,0..): ${counts.join(' ')}`);
  // per slice classes
  const n = data.labels.shape[0];
  for (let s = 0; s < n; s++) {
    const c = new Array(classes).fill(0);
    for (let i = s * 64 * 64; i < (s + 1) * 64 * 64; i++) if ((labels[i] ?? -1) >= 0) c[labels[i]!] += 1;
    console.log(`  slice ${scribbles.slices[s]}: ${c.join(' ')}`);
  }
  // augmentation survival
  const augment = augOf(values.aug);
  const rng = createRng(99);
  const surv = new Array(classes).fill(0);
  for (let t = 0; t < 20; t++) {
    const out = augmentWithLabels(data.images, data.labels, rng, augment);
    const l = (await out.labels.data()) as Int32Array;
    for (const v of l) if (v >= 0) surv[v] += 1;
    tf.dispose([out.images, out.labels, out.valid]);
  }
  console.log(`after augmentation (mean of 20 draws over all slices): ${surv.map((v) => (v / 20).toFixed(0)).join(' ')}`);
  const unet = createFinetuneUNet({ classes, width: 16, seed }, null);
  const tuner = createFinetuner(unet, { totalSteps: steps, batch: Number(values.batch), seed: seed + 1, classBalanced: values.balanced === 'on', lr: Number(values.lr), smoothness: { weight: Number(values.smooth) }, ...(augment === undefined ? {} : { augment }), mirrorGuard: values.guard !== 'off' });
  await tuner.setData(data);
  console.log(`mirror guard: ${JSON.stringify(tuner.mirrorGuard)}`);
  const report = async (step: number, loss: number): Promise<void> => {
    for (const mode of ['train', 'infer'] as const) {
      const ctx = mode === 'train' ? trainingContext() : inferenceContext();
      const [pred, nll] = tf.tidy(() => {
        const logits = unet.logits(data.images, ctx);
        const lsm = tf.logSoftmax(logits);
        const nllMap = tf.neg(tf.sum(tf.mul(tf.oneHot(data.labels, classes), lsm), -1));
        return [tf.argMax(logits, -1), nllMap];
      });
      const p = (await pred.data()) as Int32Array;
      const q = (await nll.data()) as Float32Array;
      tf.dispose([pred, nll]);
      const right = new Array(classes).fill(0);
      const tot = new Array(classes).fill(0);
      const lsum = new Array(classes).fill(0);
      for (let i = 0; i < labels.length; i++) {
        const c = labels[i]!;
        if (c < 0) continue;
        tot[c] += 1;
        lsum[c] += q[i]!;
        if (p[i] === c) right[c] += 1;
      }
      console.log(`step ${step} loss ${loss.toFixed(3)} [${mode}] right ${right.map((r, c) => (r / Math.max(1, tot[c])).toFixed(2)).join(' ')} | ce ${lsum.map((s, c) => (s / Math.max(1, tot[c])).toFixed(2)).join(' ')}`);
    }
  };
  await report(0, NaN);
  const every = Number(values.every);
  let done = 0;
  const labelledSeen: number[] = [];
  while (done < steps) {
    const k = Math.min(every, steps - done);
    const last = await tuner.steps(k, (r) => labelledSeen.push(r.labelled));
    done += k;
    console.log(`  lr ${last.lr.toExponential(2)} gradNorm ${last.gradNorm.toFixed(3)} labelled/step ${(labelledSeen.slice(-k).reduce((a, b) => a + b, 0) / k).toFixed(0)}`);
    await report(done, last.loss);
  }
  tuner.dispose();
  unet.dispose();
  tf.dispose([data.images, data.labels]);
}
main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
