/**
 * The interactive session's quick answer: the pixel classifier of
 * src-main/ml/forest/ trained on the session's strokes, kept until the
 * network's next version replaces it, and applied slice by slice.
 */
import { classifySlice, trainPixelClassifier, type PixelClassifier } from '../../ml/forest/pixelClassifier';
import type { Volume } from '../../ml/volume';
import type { SliceLabels } from './interactiveLayers';

export class QuickForest {
  private forest: PixelClassifier | null = null;

  /**
   * Trains on every stroked voxel of `slices`; false (and no forest) when the
   * strokes cannot train a classifier: one class only, e.g. a structure
   * painted before any background stroke. The network trains on them anyway.
   */
  train(volume: Volume, slices: readonly SliceLabels[], classes: number): boolean {
    this.forest = null;
    let present = 0;
    const seen = new Set<number>();
    for (const slice of slices) {
      for (const c of slice.labels) {
        if (c >= 0 && !seen.has(c)) {
          seen.add(c);
          present += 1;
        }
      }
      if (present >= 2) break;
    }
    if (present < 2) return false;
    this.forest = trainPixelClassifier(volume, slices, classes, { seed: 1 });
    return true;
  }

  /** Labels of slices `ks` (concatenated, x fastest); throws when no forest is trained. */
  classify(volume: Volume, ks: readonly number[]): Uint8Array {
    const forest = this.forest;
    if (forest === null) throw new Error('QuickForest.classify: no quick answer is trained.');
    const perSlice = volume.width * volume.height;
    const out = new Uint8Array(ks.length * perSlice);
    ks.forEach((k, i) => out.set(classifySlice(forest, volume, k), i * perSlice));
    return out;
  }

  /** Frees the forest (the network's version replaced it). */
  drop(): void {
    this.forest = null;
  }
}
