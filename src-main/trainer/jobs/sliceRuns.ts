/**
 * One predicted slice as it travels to the app: its non-zero voxels as
 * label runs in bytes over the slice alone (index i + j*nx), which for a
 * segmentation is a few hundred runs instead of 256 KiB per 512x512 slice.
 */
import { runsToBytes, runsFromLayer } from '../../shared/labels/labelRuns';

export interface EncodedSlice {
  readonly runs: Uint8Array;
  /** Labels present, ascending. */
  readonly labels: number[];
}

/** Encodes one slice of class values (0 = none). */
export function encodeSlice(values: Uint8Array): EncodedSlice {
  const runs = runsFromLayer(values);
  const present = new Set<number>(runs.values);
  return { runs: runsToBytes(runs), labels: [...present].sort((a, b) => a - b) };
}
