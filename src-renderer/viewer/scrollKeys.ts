/**
 * Keys that page through slices in the focused viewport: the arrows move one
 * slice, Page Up/Down a tenth of the series (at least 5), Home/End to either
 * end. Up goes towards the previous slice, as in every PACS.
 */

/** How far a key moves: by slices, or to the first/last slice. */
export type ScrollStep = { readonly kind: 'by'; readonly slices: number } | { readonly kind: 'to'; readonly end: 'first' | 'last' };

/** The step a key asks for in a viewport showing `sliceCount` slices, or null when the key is not a scroll key. */
export function scrollStepFor(key: string, sliceCount: number): ScrollStep | null {
  const page = Math.max(5, Math.round(sliceCount / 10));
  switch (key) {
    case 'ArrowUp':
      return { kind: 'by', slices: -1 };
    case 'ArrowDown':
      return { kind: 'by', slices: 1 };
    case 'PageUp':
      return { kind: 'by', slices: -page };
    case 'PageDown':
      return { kind: 'by', slices: page };
    case 'Home':
      return { kind: 'to', end: 'first' };
    case 'End':
      return { kind: 'to', end: 'last' };
    default:
      return null;
  }
}

/** The slice delta a step means from `sliceIndex` of `sliceCount`. */
export function scrollDelta(step: ScrollStep, sliceIndex: number, sliceCount: number): number {
  if (step.kind === 'by') return step.slices;
  return step.end === 'first' ? -sliceIndex : sliceCount - 1 - sliceIndex;
}
