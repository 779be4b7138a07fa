/**
 * The pixel classifier's arm of the evaluation protocol (`macl eval --method
 * forest`, docs/eval-protocol.md): the same simulated strokes as runEval, a
 * random forest on multi-scale features of the stroked voxels instead of a
 * U-Net, every slice classified, per-label 3-D Dice. It measures the quick
 * answer the interactive loop shows before the network's first version.
 */
import { classifySlice, trainPixelClassifier, type StrokedSlice } from '../ml/forest/pixelClassifier';
import type { ForestOptions } from '../ml/forest/randomForest';
import { normalizeIntensities } from '../ml/normalize';
import { interpolateByDefault } from '../ml/sliceInterpolation';
import { limitToExtentByDefault } from '../ml/strokeExtent';
import { labelsPresent, type EvalCase } from './evalRun';
import { scoreScribbled, type LabelResult } from './scoreScribbled';
import { simulateScribbles } from './scribble';

export interface ForestEvalOptions {
  readonly scribbleSlices: number;
  readonly labels?: readonly number[];
  /** Seed of the forest's bootstraps and feature choices (the strokes are the protocol's, as in runEval). */
  readonly seed?: number;
  readonly forest?: Omit<ForestOptions, 'seed'>;
  /** Drop predicted regions that no stroke of their structure touches (ml/keepStrokeConnected.ts), as the loop does (default true). */
  readonly keepConnected?: boolean;
  /** Each structure's answers kept within its strokes' extent (ml/strokeExtent.ts), as the loop does (default limitToExtentByDefault). */
  readonly limitToExtent?: boolean;
  /** The answer fused with each structure's shape interpolated between its painted slices (ml/shapeFusion.ts), as the loop does (default interpolateByDefault). */
  readonly interpolate?: boolean;
}

export interface ForestEvalResult {
  readonly labels: readonly LabelResult[];
  readonly meanDice: number;
  readonly labelledVoxels: number;
  /** Features of the stroked slices and the forest's training. */
  readonly trainSeconds: number;
  /** Features and classification of every slice. */
  readonly predictSeconds: number;
  /** Processor time of the same two parts (this process): on a shared machine, closer to what it costs alone than the wall clock. */
  readonly trainCpuSeconds: number;
  readonly predictCpuSeconds: number;
  readonly seconds: number;
  readonly trees: number;
  /** The voxel's position was among the features (all structures compact: ml/forest/pixelClassifier.ts). */
  readonly location: boolean;
  readonly seed: number;
}

/** Runs the protocol once with the pixel classifier. */
export function runForestEval(evalCase: EvalCase, options: ForestEvalOptions): ForestEvalResult {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const { width, height, depth } = evalCase;
  if (evalCase.image.length !== width * height * depth) throw new Error(`runForestEval: the image has ${evalCase.image.length} voxels, the grid ${width}x${height}x${depth} needs ${width * height * depth}.`);
  const labels = options.labels ?? labelsPresent(evalCase.truth);
  if (labels.length === 0) throw new Error('runForestEval: the truth holds no label other than 0.');
  const seed = options.seed ?? 1;
  const scribbles = simulateScribbles(evalCase.truth, evalCase, labels, { slicesPerLabel: options.scribbleSlices });
  const volume = { data: normalizeIntensities(evalCase.image), width, height, depth };
  const perSlice = width * height;
  const stroked: StrokedSlice[] = scribbles.slices.map((k) => ({ k, labels: scribbles.labels.subarray(k * perSlice, (k + 1) * perSlice) }));
  const forest = trainPixelClassifier(volume, stroked, labels.length + 1, { ...options.forest, seed });
  const trained = performance.now();
  const cpuTrained = process.cpuUsage(cpuStarted);
  const prediction = new Uint8Array(width * height * depth);
  for (let k = 0; k < depth; k += 1) prediction.set(classifySlice(forest, volume, k), k * perSlice);
  const predicted = performance.now();
  const cpuPredicted = process.cpuUsage(cpuStarted);
  const cpuSeconds = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1e6;
  const results: LabelResult[] = scoreScribbled(prediction, evalCase, scribbles, options.keepConnected ?? true, undefined, (options.limitToExtent ?? limitToExtentByDefault) ? {} : null, (options.interpolate ?? interpolateByDefault) ? {} : null);
  return {
    labels: results,
    meanDice: results.reduce((sum, r) => sum + r.dice, 0) / results.length,
    labelledVoxels: results.reduce((sum, r) => sum + r.labelledVoxels + r.backgroundVoxels, 0),
    trainSeconds: (trained - started) / 1000,
    predictSeconds: (predicted - trained) / 1000,
    trainCpuSeconds: cpuSeconds(cpuTrained),
    predictCpuSeconds: cpuSeconds(cpuPredicted) - cpuSeconds(cpuTrained),
    seconds: (predicted - started) / 1000,
    trees: forest.forest.trees.length,
    location: forest.location,
    seed,
  };
}
