/**
 * Undoing the strokes' class prior at inference. The network learns p(c | x)
 * from the stroked pixels alone, whose class shares are whatever the user
 * painted: a thin line inside a structure against a band of background all
 * around it (the simulated radiologist's strokes give the brain 1 stroked
 * voxel in 4 or 5, a deep grey nucleus far fewer). Trained on those shares,
 * the network leans to the painted majority wherever it is unsure, and the
 * structures come out eroded or empty (docs/eval-protocol.md measures the
 * errors: nearly all false negatives). Dividing each class's probability by
 * its share of the stroked pixels raised to `alpha` (Bayes' rule for a
 * changed prior; alpha 1 = every class equally likely a priori) moves the
 * decision back; the weights leave the training alone.
 */
import type * as tf from '@tensorflow/tfjs';

/** Each class's share of the stroked (>= 0) pixels of `labels`; 0 for a class nobody painted. */
export function strokeClassShares(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  let total = 0;
  for (let i = 0; i < labels.length; i += 1) {
    const c = labels[i] ?? -1;
    if (c < 0 || c >= classes) continue;
    counts[c] = (counts[c] ?? 0) + 1;
    total += 1;
  }
  return counts.map((n) => (total === 0 ? 0 : n / total));
}

/**
 * The weight per class: (share / largest share)^-alpha for a painted class,
 * at most `cap`, and 1 (as the most painted class) for one nobody painted, so
 * an untrained class is never pushed. Argmax only compares them, so their
 * scale is free.
 *
 * With `balancedLoss` the model was trained with the class-balanced CE
 * (crossEntropy.ts), whose prior is uniform rather than the painted shares:
 * each weight is then also multiplied by (share / largest share), which
 * puts the painted shares back (logit adjustment, Menon et al., ICLR 2021), so
 * the same alpha and cap give the same decision rule whichever loss trained
 * the model; alpha 0 is then the painted shares' prior, not the uniform one.
 */
export function priorWeights(shares: readonly number[], alpha: number, cap = Infinity, balancedLoss = false): number[] {
  if (!(alpha >= 0)) throw new Error(`priorWeights: alpha must be >= 0, got ${alpha}.`);
  if (!(cap >= 1)) throw new Error(`priorWeights: the cap must be >= 1, got ${cap}.`);
  const largest = Math.max(0, ...shares);
  return shares.map((share) => {
    if (!(share > 0 && largest > 0)) return 1;
    const relative = share / largest;
    const undone = Math.min(cap, relative ** -alpha);
    return balancedLoss ? undone * relative : undone;
  });
}

/**
 * The default power and cap (docs/eval-protocol.md, "The strokes' class
 * prior"): alpha 1 undoes the painted shares fully; the cap keeps a class
 * painted 1 voxel in 50 (a thin vessel beside a band of background) from
 * being boosted 50-fold, which on a well-fitted model (the phantom, 300
 * steps) cost more at the edges than it gained: Dice 0.86-0.91 uncapped,
 * 0.94-0.98 at 4, 0.94-1.00 unweighted.
 */
export const defaultPriorAlpha = 1;
export const defaultPriorCap = 4;

/** The weights of the training labels `labels` (int32, -1 unlabelled) for a model of `classes` classes trained with the plain or the class-balanced CE, or null when there is nothing to change (alpha 0 after the plain CE). */
export async function strokePriorWeights(labels: tf.Tensor, classes: number, alpha: number, cap = defaultPriorCap, balancedLoss = false): Promise<number[] | null> {
  if (alpha === 0 && !balancedLoss) return null;
  return priorWeights(strokeClassShares(await labels.data(), classes), alpha, cap, balancedLoss);
}

/**
 * The weights for a model trained on `data` (finetuneData.ts's training tensors). Labels filled
 * inside closed outlines or holding several structures (`data.classBalanced`) trained a
 * class-balanced loss and are shown with a uniform prior unless `alpha` is given (measured: docs/eval-protocol.md, session 10); otherwise
 * the strokes' prior is undone with `alpha` (default defaultPriorAlpha) after the plain or, with
 * `balancedLoss`, the class-balanced loss, each weight at most `cap` (Infinity: alpha 1 then gives
 * every class the same prior, which after the class-balanced loss is no weight at all). runEval
 * and the interactive session both ask here.
 */
export async function trainedPriorWeights(data: { readonly labels: tf.Tensor; readonly classBalanced?: boolean }, classes: number, alpha: number | undefined, balancedLoss: boolean, cap = defaultPriorCap): Promise<number[] | null> {
  const filled = data.classBalanced === true;
  return strokePriorWeights(data.labels, classes, alpha ?? (filled ? 0 : defaultPriorAlpha), cap, balancedLoss && !filled);
}
