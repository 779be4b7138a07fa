/**
 * Training on strokes of several structures at once: the class-balanced CE
 * and, at inference, every class with the same prior. Under the plain mean
 * of the CE each structure gets its share of the stroked pixels as its share
 * of the gradient: a whole brain (14-19 % of the strokes) is fitted, but
 * beside it or beside other structures a small one painted with 1.5-3 % is
 * not (docs/eval-protocol.md, session 10). The balanced mean fits every
 * structure's strokes; the prior's weights that would put the painted shares
 * back leave a small structure needing to be ~10 times as likely as the
 * background and it vanishes, while with no weights it floods unless it is
 * kept near its strokes (strokeExtent.ts). Measured with the extent limit
 * (session 12): Colin27's 6 deep grey nuclei 0.022 (plain CE) and 0.196
 * (balanced, weighted) -> 0.280, the macaque's 6 NeuroMaps structures 0.000
 * -> 0.108, the phantom's three structures and the ITK tissue classes within
 * their bars. A task with one structure keeps the plain CE and the prior's
 * weights (the Colin27 whole head collapsed once with the balanced CE).
 */

/** Whether the loop and `macl eval` train several painted structures with the balanced CE and the uniform prior. */
export const balanceSeveralStructures = true;

/** Whether `labels` (-1 unlabelled, 0 background, c >= 1 a structure) hold strokes of two or more structures. */
export function paintsSeveralStructures(labels: ArrayLike<number>): boolean {
  return slicesPaintSeveralStructures([labels]);
}

/** Whether the painted slices `slices` (labels as paintsSeveralStructures reads them) together hold strokes of two or more structures. */
export function slicesPaintSeveralStructures(slices: readonly ArrayLike<number>[]): boolean {
  let first = 0;
  for (const labels of slices) {
    for (let i = 0; i < labels.length; i += 1) {
      const c = labels[i] ?? -1;
      if (c < 1) continue;
      if (first === 0) first = c;
      else if (c !== first) return true;
    }
  }
  return false;
}
