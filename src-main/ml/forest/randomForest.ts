/**
 * A random forest for the pixel classifier: trees (decisionTree.ts) grown on
 * bootstrap samples of the binned training features (featureBins.ts),
 * class-balanced, deterministic for a seed. Written here because the
 * general-purpose JS forest measured (ml-random-forest 2.1.0) had not trained
 * 30 trees on 20,000 samples of 30 features after 200 s on this machine;
 * histogram splits train the same in well under a second.
 */
import { createRng, type Rng } from '../random';
import { binFeatures, edgeSample } from './featureBins';
import { growTree, type Tree } from './decisionTree';

export interface ForestOptions {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly minLeaf?: number;
  /** Features tried per node (default: the square root of the feature count, at least 3). */
  readonly featuresPerNode?: number;
  /** Bootstrap samples per tree (default: the samples, at most 20,000). */
  readonly samplesPerTree?: number;
  readonly bins?: number;
  readonly seed?: number;
}

export interface Forest {
  readonly trees: readonly Tree[];
  readonly classes: number;
  readonly features: number;
}

/** Defaults that trained in well under a second on 50,000 stroked voxels (docs/eval-protocol.md). */
export const defaultForestOptions = { trees: 32, maxDepth: 12, minLeaf: 2, samplesPerTree: 20_000, bins: 64, seed: 1 } as const;

/**
 * Trains a forest on `values` (feature-major: feature f of sample i at
 * f * samples + i) with `labels` 0..classes-1. Every class present gets the
 * same total weight. Throws when there are no samples or only one class.
 */
export function trainForest(values: Float32Array, labels: Int32Array, features: number, classes: number, options: ForestOptions = {}): Forest {
  const samples = labels.length;
  if (samples === 0) throw new Error('trainForest: there are no labelled samples to train on.');
  if (!Number.isInteger(classes) || classes < 2 || classes > 255) throw new Error(`trainForest: classes must be an integer in 2..255, got ${classes}.`);
  if (values.length !== samples * features) throw new Error(`trainForest: ${values.length} feature values do not make ${samples} samples of ${features} features.`);
  const counts = new Float64Array(classes);
  const small = new Uint8Array(samples);
  for (let i = 0; i < samples; i += 1) {
    const c = labels[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`trainForest: sample ${i} has label ${c}, outside 0..${classes - 1}.`);
    small[i] = c;
    counts[c] = (counts[c] as number) + 1;
  }
  const present = counts.filter((count) => count > 0).length;
  if (present < 2) throw new Error(`trainForest: the samples hold one class only (${labels[0] ?? 0}); a classifier needs at least two (e.g. a background stroke beside a structure).`);
  const classWeights = Float64Array.from(counts, (count) => (count > 0 ? samples / (present * count) : 0));
  const o = { ...defaultForestOptions, ...options };
  const seed = o.seed;
  const rng = createRng(seed + 1);
  const binned = binFeatures(values, samples, features, o.bins, seed, balancedRows(small, counts, rng));
  const perTree = Math.min(samples, o.samplesPerTree);
  const treeOptions = { maxDepth: o.maxDepth, minLeaf: o.minLeaf, featuresPerNode: options.featuresPerNode ?? Math.max(3, Math.round(Math.sqrt(features))) };
  const trees: Tree[] = [];
  for (let t = 0; t < o.trees; t += 1) {
    const rows = new Uint32Array(perTree);
    for (let r = 0; r < perTree; r += 1) rows[r] = rng.int(samples);
    trees.push(growTree(binned, small, classWeights, rows, treeOptions, rng));
  }
  return { trees, classes, features };
}

/**
 * An equal number of samples of each class present, to place the bin edges:
 * quantiles of the pooled samples would put nearly every edge inside the
 * background, leaving a thinly stroked structure one bin it cannot be split in.
 */
function balancedRows(labels: Uint8Array, counts: Float64Array, rng: Rng): Uint32Array {
  const byClass: number[][] = Array.from(counts, () => []);
  labels.forEach((c, i) => (byClass[c] as number[]).push(i));
  const present = byClass.filter((rows) => rows.length > 0);
  const each = Math.ceil(edgeSample / present.length);
  const out = new Uint32Array(each * present.length);
  present.forEach((rows, p) => {
    for (let j = 0; j < each; j += 1) out[p * each + j] = rows.length <= each ? (rows[j % rows.length] as number) : (rows[rng.int(rows.length)] as number);
  });
  return out;
}

/**
 * The forest's mean class probabilities for `count` samples of `values`
 * (feature-major as in trainForest): probability of class c for sample i at
 * i * classes + c.
 */
export function forestProbabilities(forest: Forest, values: Float32Array, count: number): Float32Array {
  const { classes, features, trees } = forest;
  if (values.length !== count * features) throw new Error(`forestProbabilities: ${values.length} feature values do not make ${count} samples of ${features} features.`);
  const out = new Float32Array(count * classes);
  // Tree by tree: one tree's nodes stay in cache while every sample walks it (measured faster than sample by sample).
  for (const tree of trees) {
    const { feature, threshold, left, right, probs } = tree;
    for (let i = 0; i < count; i += 1) {
      let node = 0;
      let f = feature[0] as number;
      while (f >= 0) {
        node = (values[f * count + i] as number) <= (threshold[node] as number) ? (left[node] as number) : (right[node] as number);
        f = feature[node] as number;
      }
      const at = node * classes;
      const o = i * classes;
      for (let c = 0; c < classes; c += 1) out[o + c] = (out[o + c] as number) + (probs[at + c] as number);
    }
  }
  const scale = 1 / trees.length;
  for (let i = 0; i < out.length; i += 1) out[i] = (out[i] as number) * scale;
  return out;
}

/** The most probable class of each of `count` samples. */
export function forestLabels(forest: Forest, values: Float32Array, count: number): Uint8Array {
  const probs = forestProbabilities(forest, values, count);
  const { classes } = forest;
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i += 1) {
    let best = 0;
    for (let c = 1; c < classes; c += 1) if ((probs[i * classes + c] as number) > (probs[i * classes + best] as number)) best = c;
    labels[i] = best;
  }
  return labels;
}
