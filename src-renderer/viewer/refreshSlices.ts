/**
 * Which slices of a labelmap to re-upload after an edit: the changed ones,
 * or all of them (null) once a change touches more than half, where one
 * whole upload is cheaper than many single ones (a long sagittal stroke
 * touches a slice per row it crosses).
 */
export function slicesToRefresh(kSlices: readonly number[], sliceCount: number): readonly number[] | null {
  return kSlices.length > sliceCount / 2 ? null : kSlices;
}
