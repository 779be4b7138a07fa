/**
 * What the model should learn from after Accept, measured on a real image:
 * the trainer's interactive session in process (WASM backend, the processor
 * settings) on a T1 MR with a brain mask as truth. Strokes (simulated, as in
 * the evaluation protocol) on 3 slices, one burst, the whole volume inferred:
 * Dice d1. Then "Accept: Volume" (the prediction becomes the accepted mask) and
 *   - strokes only (the loop's policy): no training; what is shown stays the
 *     accepted mask. Then strokes on one more slice, one burst: Dice.
 *   - accepted voxels trained like strokes (the loop's earlier policy): one
 *     burst on strokes + accepted mask: Dice (the drift an accept caused),
 *     then strokes on one more slice, one burst: Dice.
 * Prints the Dice of each step and the predicted volume against the truth's.
 *
 *   node bench/acceptPolicy.mjs IMAGE.nii.gz TRUTH.nii.gz [burstSteps]
 * The truth is a label map on the image's grid; every voxel > 0 is the structure.
 */
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [imagePath, truthPath, stepsText] = process.argv.slice(2);
if (imagePath === undefined || truthPath === undefined) {
  console.error('usage: node bench/acceptPolicy.mjs IMAGE.nii.gz TRUTH.nii.gz [burstSteps]');
  process.exit(2);
}
const burstSteps = Number(stepsText ?? 40);
const settings = { burstSteps, size: 64, batch: 4, width: 16, lr: 5e-3, inferBatch: 16, versionEverySteps: burstSteps };

/** The session code bundled for Node, beside the project's node_modules (its externals resolve from there). */
async function loadParts() {
  const outfile = path.join(root, 'build', 'bench', 'acceptParts.mjs');
  await build({
    stdin: {
      contents: [
        "export * as tf from '@tensorflow/tfjs';",
        "export { loadWasm } from './src-main/trainer/backends/loadWasm';",
        "export { createImportService } from './src-main/dicom/importService';",
        "export { loadEvalCase } from './src-main/eval/evalInputs';",
        "export { simulateScribbles } from './src-main/eval/scribble';",
        "export { LiveSessions, runInteractiveJob } from './src-main/trainer/jobs/interactiveJob';",
        "export { createCancelSource } from './src-main/shared/rpc/cancelSignal';",
        "export { runsToBytes, runsFromLayer, decodeRuns, applyRuns } from './src-main/shared/labels/labelRuns';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning',
    external: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'sharp', 'electron'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}

function dice(prediction, truth) {
  let both = 0;
  let p = 0;
  let t = 0;
  for (let v = 0; v < truth.length; v++) {
    const isP = prediction[v] === 1;
    const isT = truth[v] > 0;
    if (isP) p++;
    if (isT) t++;
    if (isP && isT) both++;
  }
  return { dice: (2 * both) / Math.max(1, p + t), predicted: p, truth: t };
}

/** One in-process session: labels in, the whole volume of each new version out. */
function openSession(parts, params) {
  const sessions = new parts.LiveSessions();
  const source = parts.createCancelSource();
  let waiter = null;
  const plane = params.width * params.height;
  const prediction = new Uint8Array(plane * params.depth);
  const emit = (event) => {
    if (event.type === 'slice') {
      const slice = prediction.subarray(event.k * plane, (event.k + 1) * plane);
      slice.fill(0);
      parts.applyRuns(slice, parts.decodeRuns(event.runs, plane));
    }
    if (event.type === 'volumeDone' && waiter !== null) waiter(event.modelVersion);
  };
  const done = parts.runInteractiveJob(
    { sessionId: params.sessionId, workspaceDir: params.workspaceDir, seriesId: params.seriesId, init: 'none', out: `accept-${params.sessionId}`, settings, saveEverySeconds: 0 },
    { emit, signal: source.signal, backend: { kind: 'wasm', device: 'accept policy measurement' }, sessions },
  );
  return {
    prediction,
    async ready() {
      for (let i = 0; i < 600; i++) {
        try {
          return sessions.get(params.sessionId);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      throw new Error('the session did not start');
    },
    /** Sends `strokes` (full) and waits for the whole volume of the version they make. */
    async train(session, strokes) {
      const volume = new Promise((resolve) => { waiter = resolve; });
      session.labels({ full: true, strokes: parts.runsToBytes(parts.runsFromLayer(strokes)) });
      await volume;
      return Uint8Array.from(prediction);
    },
    async close() {
      source.cancel();
      await done;
    },
  };
}

async function main() {
  const scratch = mkdtempSync(path.join(tmpdir(), 'macl-accept-policy-'));
  try {
    const parts = await loadParts();
    const wasm = await parts.loadWasm();
    if (!wasm.ok) throw new Error(wasm.reason);
    await parts.tf.setBackend('wasm');
    const workspaceDir = path.join(scratch, 'ws');
    const imports = await parts.createImportService({ workspaceDir });
    const report = await imports.importPaths([path.resolve(imagePath)], { thumbnails: false });
    const seriesId = report.series[0]?.seriesId;
    if (seriesId === undefined) throw new Error(`${imagePath} did not import: ${JSON.stringify(report)}`);
    const loaded = await parts.loadEvalCase(imagePath, truthPath, workspaceDir);
    const { width, height, depth } = loaded;
    const truth = Uint8Array.from(loaded.truth, (value) => (value > 0 ? 1 : 0));
    const scribbles = parts.simulateScribbles(truth, { width, height, depth }, [1], { slicesPerLabel: 4 });
    const [extra, ...firstThree] = [scribbles.slices[1], scribbles.slices[0], scribbles.slices[2], scribbles.slices[3]];
    const plane = width * height;
    const strokesOn = (slices) => {
      const layer = new Uint8Array(truth.length);
      for (const k of slices) {
        for (let v = k * plane; v < (k + 1) * plane; v++) {
          const value = scribbles.labels[v];
          if (value === 0) layer[v] = 255;
          else if (value > 0) layer[v] = 1;
        }
      }
      return layer;
    };
    const three = strokesOn(firstThree);
    const four = strokesOn([...firstThree, extra]);
    const withAccepted = (strokes, accepted) => Uint8Array.from(strokes, (value, v) => (value !== 0 ? value : accepted[v] === 1 ? 1 : 0));
    const shownWith = (prediction, accepted) => Uint8Array.from(prediction, (value, v) => (accepted[v] === 1 ? 1 : value));
    const line = (what, values) => {
      const score = dice(values, truth);
      console.log(`  ${what}: Dice ${score.dice.toFixed(3)} (predicted ${score.predicted} voxels, truth ${score.truth})`);
    };
    console.log(`accept policy: ${path.basename(imagePath)} ${width}x${height}x${depth}, strokes on slices ${firstThree.join(', ')} then ${extra}; settings ${JSON.stringify(settings)}`);
    const params = { workspaceDir, seriesId, width, height, depth };

    const strokesOnly = openSession(parts, { ...params, sessionId: 'strokes-only' });
    const a = await strokesOnly.ready();
    const p1 = await strokesOnly.train(a, three);
    console.log('strokes only (accepted voxels carry no loss):');
    line('after 3 slices', p1);
    line('after Accept: Volume (no training; shown = accepted)', p1);
    const pa = await strokesOnly.train(a, four);
    line('after a 4th slice, model', pa);
    line('after a 4th slice, shown (accepted kept)', shownWith(pa, p1));
    await strokesOnly.close();

    const accepted = openSession(parts, { ...params, sessionId: 'accepted-trained' });
    const b = await accepted.ready();
    const q1 = await accepted.train(b, three);
    console.log('accepted voxels trained like strokes:');
    line('after 3 slices', q1);
    const q2 = await accepted.train(b, withAccepted(three, q1));
    line('after Accept: Volume (one burst on strokes + accepted)', q2);
    const q3 = await accepted.train(b, withAccepted(four, q1));
    line('after a 4th slice', q3);
    await accepted.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
