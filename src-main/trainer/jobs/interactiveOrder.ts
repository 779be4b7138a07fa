/**
 * The order an interactive session infers slices in: the slice on screen,
 * then its neighbours outward (k+1, k-1, k+2, k-2, ...), so what the user
 * looks at is refined first and scrolling a little shows fresh slices too.
 */

/** Slices of `remaining` ordered by distance from `focus` (ties: the one above first). */
export function focusOrder(remaining: Iterable<number>, focus: number): number[] {
  return [...remaining].sort((a, b) => {
    const da = Math.abs(a - focus);
    const db = Math.abs(b - focus);
    return da !== db ? da - db : b - a;
  });
}

/** Every slice 0..depth-1 in focus order; a focus outside the volume is clamped into it. */
export function volumeOrder(depth: number, focus: number): number[] {
  const clamped = Math.min(Math.max(0, Math.round(focus)), depth - 1);
  return focusOrder(Array.from({ length: depth }, (_, k) => k), clamped);
}
