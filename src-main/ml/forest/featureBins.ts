/**
 * Quantile bins of the training features: each feature's values are cut at
 * up to `bins - 1` edges, and every sample's value becomes the index of its
 * bin (a byte). Trees then find splits from per-bin class histograms, in
 * time linear in the samples instead of sorting them at every node. The
 * tree then stores each split as a raw value (decisionTree.ts), so
 * prediction needs no binning.
 */
import { createRng } from '../random';

export interface BinnedFeatures {
  /** Per feature, its ascending distinct edges. */
  readonly edges: readonly Float32Array[];
  /** Bin index per sample, feature-major: feature f of sample i at f * samples + i. */
  readonly bins: Uint8Array;
  /** The raw values, laid out as `bins` (a split's threshold goes midway between the values it separates). */
  readonly values: Float32Array;
  readonly samples: number;
  readonly features: number;
}

/** Values sampled to place the edges: enough for stable quantiles, cheap to sort. */
export const edgeSample = 4096;

/**
 * Bins `values` (feature-major, `features` x `samples`) into at most
 * `bins` (2..256) bins per feature at quantiles of `edgeRows` (the samples
 * whose values place the edges), by default a seeded sample of all.
 */
export function binFeatures(values: Float32Array, samples: number, features: number, bins: number, seed: number, edgeRows?: Uint32Array): BinnedFeatures {
  if (!Number.isInteger(bins) || bins < 2 || bins > 256) throw new Error(`binFeatures: bins must be an integer in 2..256, got ${bins}.`);
  if (values.length !== samples * features) throw new Error(`binFeatures: ${values.length} values do not make ${samples} samples of ${features} features.`);
  const rng = createRng(seed);
  const picks = edgeRows ?? (samples <= edgeSample ? null : Uint32Array.from({ length: edgeSample }, () => rng.int(samples)));
  const edges: Float32Array[] = [];
  const out = new Uint8Array(samples * features);
  for (let f = 0; f < features; f += 1) {
    const column = values.subarray(f * samples, (f + 1) * samples);
    const sample = picks === null ? Float32Array.from(column) : Float32Array.from(picks, (i) => column[i] as number);
    sample.sort();
    const cuts: number[] = [];
    for (let b = 1; b < bins; b += 1) {
      const v = sample[Math.min(sample.length - 1, Math.floor((b * sample.length) / bins))] as number;
      if (cuts.length === 0 || v > (cuts[cuts.length - 1] as number)) cuts.push(v);
    }
    // The largest value gets no edge of its own: "v <= last edge" must leave something on the right.
    if (cuts.length > 0 && cuts[cuts.length - 1] === sample[sample.length - 1]) cuts.pop();
    const edge = Float32Array.from(cuts);
    edges.push(edge);
    const base = f * samples;
    for (let i = 0; i < samples; i += 1) out[base + i] = binOf(edge, column[i] as number);
  }
  return { edges, bins: out, values, samples, features };
}

/** The number of edges below `v` (binary search): the bin of v. */
export function binOf(edges: Float32Array, v: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((edges[mid] as number) < v) low = mid + 1;
    else high = mid;
  }
  return low;
}
