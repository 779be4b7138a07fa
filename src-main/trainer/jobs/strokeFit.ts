/**
 * How well a model version fits the user's strokes: per class, the share of
 * its stroked voxels the version labels as that class, and the class it
 * fits worst. The interactive session holds a network version back while
 * the pixel classifier's answer is on screen when this share is below its
 * bar (interactiveSession.ts). The classifier is trained on these very
 * voxels and gets nearly all of them right, so the network is held to a
 * fixed bar instead of to it.
 */
import type { SliceLabels } from './interactiveLayers';

export interface StrokeFit {
  readonly classIndex: number;
  readonly share: number;
}

/** `predicted`: the version's labels of `slices`, in that order, `perSlice` voxels each. Null when nothing is stroked. */
export function worstStrokeFit(slices: readonly SliceLabels[], predicted: Uint8Array, perSlice: number): StrokeFit | null {
  const right = new Map<number, [number, number]>();
  slices.forEach((slice, n) => {
    for (let i = 0; i < perSlice; i += 1) {
      const c = slice.labels[i] ?? -1;
      if (c < 0) continue;
      const tally = right.get(c) ?? [0, 0];
      tally[0] += predicted[n * perSlice + i] === c ? 1 : 0;
      tally[1] += 1;
      right.set(c, tally);
    }
  });
  let worst: StrokeFit | null = null;
  for (const [classIndex, [hits, total]] of right) {
    const share = hits / total;
    if (worst === null || share < worst.share) worst = { classIndex, share };
  }
  return worst;
}
