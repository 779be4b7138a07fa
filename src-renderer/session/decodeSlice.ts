/**
 * Turns a streamed slice (label runs as bytes over one slice, index i + j*nx)
 * into the nx*ny bytes the prediction layer takes. A malformed slice throws
 * a readable error naming the slice and version, never a partial write.
 */
import type { SessionSliceEvent } from '../../src-main/shared/contract/sessionApi';
import { applyRuns, decodeRuns } from '../../src-main/shared/labels/labelRuns';

/** The labels of one predicted slice, ready for `LabelDocument.setPrediction(values, [k])`. */
export function decodeSlice(event: Pick<SessionSliceEvent, 'k' | 'modelVersion' | 'runs'>, plane: number): Uint8Array {
  const values = new Uint8Array(plane);
  try {
    applyRuns(values, decodeRuns(event.runs, plane));
  } catch (error) {
    throw new Error(`Slice ${event.k} of model version ${event.modelVersion} could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return values;
}
