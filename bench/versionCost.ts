/**
 * The processor time the interactive session spends on each network version besides inference
 * of the volume (docs/benchmarks.md, session 11): the batch-norm recalibration of the copy (32
 * slices over the whole volume or the strokes' slab), the judge's fit to the strokes (inference
 * of the stroked slices), and the streaming filter of one inferred slice (shownVolume.ts), on a
 * real scan with the loop's strokes (bench-loop's slices and strokes). CPU time of this process
 * (process.cpuUsage), so the figures hold under another job's load; run on one WASM thread.
 *
 *   npx esbuild bench/versionCost.ts --bundle --platform=node --format=cjs \
 *     --external:@tensorflow/* --external:webgpu --outfile=test-output/versionCost.cjs
 *   MACL_WASM_THREADS=1 nice -n 5 node test-output/versionCost.cjs --image ch2.nii.gz --truth ch2-brain.truth.nii.gz [--rounds 3,2]
 */
import { parseArgs } from 'node:util';
import { loadLoopCase } from './lib/loopCase';
import { recalibrateBatchNorm } from '../src-main/ml/bnRecalibration';
import { segmentVolume } from '../src-main/ml/inference';
import { strokeBox } from '../src-main/ml/strokeBox';
import { strokeSlab } from '../src-main/ml/strokeSlab';
import { createUNet } from '../src-main/ml/unet';
import { ShownVersion } from '../src-main/trainer/jobs/shownVersion';
import { ShownVolume } from '../src-main/trainer/jobs/shownVolume';

const { values } = parseArgs({ options: { image: { type: 'string' }, truth: { type: 'string' }, rounds: { type: 'string', default: '3,2' }, repeats: { type: 'string', default: '5' }, dir: { type: 'string', default: 'test-output/versionCost' } } });

/** Median CPU milliseconds of `repeats` calls of `work`. */
async function cpuMs(repeats: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r += 1) {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

async function main(): Promise<void> {
  if (values.image === undefined || values.truth === undefined) throw new Error('Give --image and --truth.');
  const { volume, painted, layers, paint } = await loadLoopCase(values.image, values.truth, values.rounds, values.dir);
  const { width, height, depth } = volume;
  const plane = width * height;
  const repeats = Number(values.repeats);
  const unet = createUNet({ classes: 2, width: 16, seed: 1 });
  const shownVersion = new ShownVersion(volume, { size: 64, inferBatch: 8 });
  for (const [n, k] of painted.entries()) {
    paint(k);
    const slices = layers.slices();
    const roi = strokeBox(slices.map((s) => s.labels), width, height);
    const slab = strokeSlab(slices.map((s) => s.k), depth);
    const frame = { roi, classWeights: null };
    const whole = await cpuMs(repeats, () => recalibrateBatchNorm(unet, volume, { size: 64, roi }));
    const onSlab = await cpuMs(repeats, () => recalibrateBatchNorm(unet, volume, { size: 64, roi, sliceRange: slab }));
    await shownVersion.propose(unet, frame, slab);
    const fit = await cpuMs(repeats, () => shownVersion.proposedFit(slices));
    const batch = await cpuMs(repeats, () => segmentVolume(unet, { ...volume, data: volume.data.subarray(0, 8 * plane), depth: 8 }, { size: 64, batch: 8, roi }));
    const shown = new ShownVolume([width, height, depth]);
    const inferred = (await segmentVolume(unet, { ...volume, data: volume.data.subarray(k * plane, (k + 8) * plane), depth: 8 }, { size: 64, batch: 8, roi })).labels;
    const ks = Array.from({ length: 8 }, (_, i) => k + i).filter((z) => z < depth);
    const filter = await cpuMs(repeats, () => shown.write(ks, inferred.subarray(0, ks.length * plane), slices, 2));
    console.log(`${n + 1} painted slices (slab ${slab?.join('-')}): recalibration whole ${whole.toFixed(0)} ms, slab ${onSlab.toFixed(0)} ms; judge's fit ${fit.toFixed(0)} ms; one inference batch of 8 slices ${batch.toFixed(0)} ms; streaming filter of 8 slices ${filter.toFixed(0)} ms (CPU, median of ${repeats})`);
  }
  shownVersion.dispose();
  unet.dispose();
}

main().catch((thrown: unknown) => {
  console.error(thrown);
  process.exit(1);
});
