/**
 * One classification tree of the pixel classifier, grown on binned features
 * (featureBins.ts): at each node a random subset of the features is tried,
 * each split point comes from the node's per-bin class histogram, and the
 * split with the lowest weighted Gini impurity wins. Class weights make a
 * thin structure's few stroked voxels count as much as a large background.
 * The tree is stored in flat arrays and compares raw feature values.
 */
import type { Rng } from '../random';
import type { BinnedFeatures } from './featureBins';

export interface TreeOptions {
  readonly maxDepth: number;
  /** Samples a child must keep at least. */
  readonly minLeaf: number;
  /** Features tried per node. */
  readonly featuresPerNode: number;
}

/** A grown tree: node i is a leaf when feature[i] < 0; then its class probabilities are at probs[i * classes]. */
export interface Tree {
  readonly feature: Int16Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly probs: Float32Array;
}

/**
 * Grows a tree on the samples `rows` (indices into `data`, reordered in
 * place) with class `labels` (0..classes-1) weighted by `classWeights`.
 */
export function growTree(data: BinnedFeatures, labels: Uint8Array, classWeights: Float64Array, rows: Uint32Array, options: TreeOptions, rng: Rng): Tree {
  const classes = classWeights.length;
  const { samples, features, bins, edges, values } = data;
  const featureOrder = Int32Array.from({ length: features }, (_, f) => f);
  const tried = Math.min(features, Math.max(1, options.featuresPerNode));
  const hist = new Float64Array(257 * classes);
  const counts = new Int32Array(257);
  const leftW = new Float64Array(classes);
  const totals = new Float64Array(classes);
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const probs: number[] = [];

  const addNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    for (let c = 0; c < classes; c += 1) probs.push(0);
    return feature.length - 1;
  };
  const stack: { node: number; start: number; end: number; depth: number }[] = [{ node: addNode(), start: 0, end: rows.length, depth: 0 }];
  while (stack.length > 0) {
    const { node, start, end, depth } = stack.pop() as (typeof stack)[number];
    totals.fill(0);
    for (let r = start; r < end; r += 1) {
      const c = labels[rows[r] as number] as number;
      totals[c] = (totals[c] as number) + (classWeights[c] as number);
    }
    let weight = 0;
    let present = 0;
    for (let c = 0; c < classes; c += 1) {
      weight += totals[c] as number;
      if ((totals[c] as number) > 0) present += 1;
    }
    for (let c = 0; c < classes; c += 1) probs[node * classes + c] = weight > 0 ? (totals[c] as number) / weight : 1 / classes;
    const count = end - start;
    if (depth >= options.maxDepth || present < 2 || count < 2 * options.minLeaf) continue;
    let parentScore = 0;
    for (let c = 0; c < classes; c += 1) parentScore += ((totals[c] as number) * (totals[c] as number)) / weight;

    let bestScore = parentScore + 1e-12;
    let bestFeature = -1;
    let bestBin = -1;
    for (let t = 0; t < tried; t += 1) {
      const swap = t + rng.int(features - t);
      const f = featureOrder[swap] as number;
      featureOrder[swap] = featureOrder[t] as number;
      featureOrder[t] = f;
      const edgeCount = (edges[f] as Float32Array).length;
      if (edgeCount === 0) continue;
      hist.fill(0, 0, (edgeCount + 1) * classes);
      counts.fill(0, 0, edgeCount + 1);
      const base = f * samples;
      for (let r = start; r < end; r += 1) {
        const i = rows[r] as number;
        const b = bins[base + i] as number;
        const c = labels[i] as number;
        hist[b * classes + c] = (hist[b * classes + c] as number) + (classWeights[c] as number);
        counts[b] = (counts[b] as number) + 1;
      }
      leftW.fill(0);
      let leftCount = 0;
      let leftWeight = 0;
      for (let b = 0; b < edgeCount; b += 1) {
        leftCount += counts[b] as number;
        for (let c = 0; c < classes; c += 1) {
          const w = hist[b * classes + c] as number;
          leftW[c] = (leftW[c] as number) + w;
          leftWeight += w;
        }
        if (leftCount < options.minLeaf) continue;
        if (count - leftCount < options.minLeaf) break;
        const rightWeight = weight - leftWeight;
        if (leftWeight <= 0 || rightWeight <= 0) continue;
        let leftSq = 0;
        let rightSq = 0;
        for (let c = 0; c < classes; c += 1) {
          const l = leftW[c] as number;
          const rr = (totals[c] as number) - l;
          leftSq += l * l;
          rightSq += rr * rr;
        }
        const score = leftSq / leftWeight + rightSq / rightWeight;
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) continue;
    // Partition rows[start, end) into bin <= bestBin, then the rest.
    const base = bestFeature * samples;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((bins[base + (rows[i] as number)] as number) <= bestBin) i += 1;
      else {
        const tmp = rows[i] as number;
        rows[i] = rows[j] as number;
        rows[j] = tmp;
        j -= 1;
      }
    }
    // Midway between the largest value sent left and the smallest sent right, not at the bin edge: an edge
    // sits on a training value, so a thinly stroked structure's region would end exactly at its strokes.
    let leftMax = -Infinity;
    let rightMin = Infinity;
    for (let r = start; r < end; r += 1) {
      const v = values[base + (rows[r] as number)] as number;
      if (r < i) leftMax = Math.max(leftMax, v);
      else rightMin = Math.min(rightMin, v);
    }
    feature[node] = bestFeature;
    threshold[node] = (leftMax + rightMin) / 2;
    const leftNode = addNode();
    const rightNode = addNode();
    left[node] = leftNode;
    right[node] = rightNode;
    stack.push({ node: leftNode, start, end: i, depth: depth + 1 }, { node: rightNode, start: i, end, depth: depth + 1 });
  }
  return {
    feature: Int16Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    probs: Float32Array.from(probs),
  };
}
