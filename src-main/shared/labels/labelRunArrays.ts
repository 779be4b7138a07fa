/**
 * The shape of label runs, apart from the code that makes and reads them
 * (labelRuns.ts, scanLayerRuns.ts), so that neither imports the other.
 */

/** Runs of equal values, struct-of-arrays. */
export interface LabelRuns {
  readonly starts: Uint32Array;
  readonly lengths: Uint32Array;
  readonly values: Uint8Array;
}
