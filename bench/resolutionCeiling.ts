/**
 * The Dice a perfect network could reach through the resampling of the
 * fine-tuning loop (docs/eval-protocol.md, "What the training size costs"):
 * each truth slice, one-hot, is resized to the training size as the image is
 * (ml/resample.ts, bilinear, half-pixel centres), resized back to the grid as
 * inference resizes the probabilities (ml/inference.ts) and argmax'd; the
 * Dice of that against the truth is the ceiling the training size puts on
 * the answer. With `roi`, the slices are first cropped to the box around the
 * simulated strokes (ml/strokeBox.ts, K = 3), outside the box background.
 *
 *   npx esbuild bench/resolutionCeiling.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/resolutionCeiling.cjs
 *   MACL_REAL_DATA=<cache> node test-output/resolutionCeiling.cjs --cases itk-brain,ch2-brain --sizes 64,96,128
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { labelDice } from '../src-main/eval/dice';
import { simulateScribbles } from '../src-main/eval/scribble';
import { suiteCase } from '../src-main/eval/suiteCases';
import { defaultDataDir, prepareSuiteCase } from '../src-main/eval/suiteData';
import { resizeImages } from '../src-main/ml/resample';
import { cropSlices, strokeBox, type SliceBox } from '../src-main/ml/strokeBox';

const { values } = parseArgs({ options: { cases: { type: 'string', default: 'itk-brain,ch2-brain,ch2-deep-grey,inia19-structures' }, sizes: { type: 'string', default: '64,96,128' }, margin: { type: 'string', default: '0.25' } } });

/** The truth (class per voxel) through the resampling at `size`, inside `box` (outside: 0). */
function throughSize(truth: Uint8Array, width: number, height: number, depth: number, classes: number, size: number, box: SliceBox): Uint8Array {
  const out = new Uint8Array(truth.length);
  const chunk = 16;
  for (let start = 0; start < depth; start += chunk) {
    const count = Math.min(chunk, depth - start);
    const onehot = new Float32Array(count * width * height * classes);
    for (let i = 0; i < count * width * height; i += 1) onehot[i * classes + (truth[start * width * height + i] ?? 0)] = 1;
    const cropped = cropSlices(onehot, count, width, height, box, classes);
    const winners = tf.tidy(() => {
      const t = tf.tensor4d(cropped, [count, box.height, box.width, classes]);
      return tf.argMax(resizeImages(resizeImages(t, [size, size]), [box.height, box.width]), 3);
    });
    const w = winners.dataSync();
    winners.dispose();
    for (let s = 0; s < count; s += 1) {
      for (let y = 0; y < box.height; y += 1) {
        for (let x = 0; x < box.width; x += 1) out[((start + s) * height + box.y0 + y) * width + box.x0 + x] = w[(s * box.height + y) * box.width + x] ?? 0;
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const sizes = values.sizes.split(',').map(Number);
  for (const id of values.cases.split(',')) {
    const c = suiteCase(id);
    const prepared = await prepareSuiteCase(c, defaultDataDir());
    const { width, height, depth } = prepared;
    const truth = new Uint8Array(prepared.truth.length);
    const index = new Map(prepared.labels.map((label, i) => [label, i + 1]));
    for (let i = 0; i < truth.length; i += 1) truth[i] = index.get(prepared.truth[i] ?? 0) ?? 0;
    const classes = prepared.labels.length + 1;
    const scribbles = simulateScribbles(prepared.truth, prepared, prepared.labels, { slicesPerLabel: 3 });
    const plane = width * height;
    const stroked = scribbles.slices.map((z) => scribbles.labels.subarray(z * plane, (z + 1) * plane));
    const roi = strokeBox(stroked, width, height, { margin: Number(values.margin) });
    const whole: SliceBox = { x0: 0, y0: 0, width, height };
    console.log(`${id}: ${width}x${height}x${depth}, roi ${roi === null ? 'none' : `${roi.width}x${roi.height} at (${roi.x0}, ${roi.y0})`}`);
    for (const [name, box] of [['whole slice', whole], ['roi', roi ?? whole]] as const) {
      for (const size of sizes) {
        const through = throughSize(truth, width, height, depth, classes, size, box);
        const dice = prepared.labels.map((label, i) => labelDice(through, i + 1, truth, i + 1).dice.toFixed(3));
        console.log(`  ${name} ${size}: ${dice.join(' / ')}`);
      }
    }
  }
}

main().catch((thrown: unknown) => {
  console.error(thrown instanceof Error ? thrown.stack : thrown);
  process.exit(1);
});
