/**
 * Per-step cosine learning-rate schedules (docs/macl-method.md 3.3 and 4.1).
 */

/** lr_t = max(lrMin, 0.5 * lr0 * (1 + cos(pi * t / T))); t past T stays at the end value. */
export function cosineLr(step: number, totalSteps: number, lr0: number, lrMin = 0): number {
  if (!(totalSteps > 0)) throw new Error(`cosineLr: totalSteps must be > 0, got ${totalSteps}.`);
  const t = Math.min(Math.max(step, 0), totalSteps);
  return Math.max(lrMin, 0.5 * lr0 * (1 + Math.cos((Math.PI * t) / totalSteps)));
}
