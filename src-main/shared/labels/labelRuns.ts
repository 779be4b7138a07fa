/**
 * Label changes as runs over the flat voxel index (i + j*nx + k*nx*ny, slices
 * sorted along the normal, as cornerstone's labelmap orders them). A brush
 * disk is a few runs per row, a whole sparse layer a few thousand: runs are
 * what travels between renderer, app and trainer (as bytes, runsToBytes) and
 * what the label files hold.
 *
 * Binary form (little-endian), 9 bytes a run: start u32, length u32, value u8.
 * Runs are sorted by start and never overlap.
 */
import type { LabelRuns } from './labelRunArrays';
import { scanLayerRuns } from './scanLayerRuns';

export type { LabelRuns } from './labelRunArrays';

const runBytes = 9;

/** Number of voxels the runs cover. */
export function runsVoxelCount(runs: LabelRuns): number {
  let total = 0;
  for (let r = 0; r < runs.lengths.length; r++) total += runs.lengths[r] as number;
  return total;
}

/** Collects runs from a growing list (internal builder). */
class RunBuilder {
  private starts: number[] = [];
  private lengths: number[] = [];
  private values: number[] = [];
  push(start: number, value: number): void {
    const last = this.starts.length - 1;
    if (last >= 0 && this.values[last] === value && (this.starts[last] as number) + (this.lengths[last] as number) === start) {
      this.lengths[last] = (this.lengths[last] as number) + 1;
      return;
    }
    this.starts.push(start);
    this.lengths.push(1);
    this.values.push(value);
  }
  build(): LabelRuns {
    return { starts: Uint32Array.from(this.starts), lengths: Uint32Array.from(this.lengths), values: Uint8Array.from(this.values) };
  }
}

/** The non-zero voxels of a whole layer as runs (zeros are implied), sorted by start. */
export function runsFromLayer(layer: Uint8Array): LabelRuns {
  return scanLayerRuns(layer);
}

/**
 * Runs for a set of changed voxels: `indices` strictly increasing, `values`
 * the new value of each (zero included: an erase is a change to 0).
 */
export function runsFromChanges(indices: Uint32Array, values: Uint8Array): LabelRuns {
  if (indices.length !== values.length) throw new RangeError(`${indices.length} indices but ${values.length} values.`);
  const builder = new RunBuilder();
  let previous = -1;
  for (let c = 0; c < indices.length; c++) {
    const index = indices[c] as number;
    if (index <= previous) throw new RangeError(`Changed voxel indices must increase (index ${index} after ${previous}).`);
    builder.push(index, values[c] as number);
    previous = index;
  }
  return builder.build();
}

/** Writes the runs into `layer`. Throws (before writing anything) if they do not fit. */
export function applyRuns(layer: Uint8Array, runs: LabelRuns): void {
  checkRuns(runs, layer.length);
  for (let r = 0; r < runs.starts.length; r++) {
    const start = runs.starts[r] as number;
    layer.fill(runs.values[r] as number, start, start + (runs.lengths[r] as number));
  }
}

/** Throws a RangeError naming the first run that is out of order, empty, or past `voxelCount`. */
export function checkRuns(runs: LabelRuns, voxelCount: number): void {
  let end = 0;
  for (let r = 0; r < runs.starts.length; r++) {
    const start = runs.starts[r] as number;
    const length = runs.lengths[r] as number;
    if (length === 0) throw new RangeError(`Label run ${r} is empty.`);
    if (start < end) throw new RangeError(`Label run ${r} starts at ${start}, before the end of the previous run (${end}).`);
    end = start + length;
    if (end > voxelCount) throw new RangeError(`Label run ${r} ends at voxel ${end}, past the volume's ${voxelCount} voxels.`);
  }
}

/** Serialises runs to bytes (see the module comment for the layout). */
export function runsToBytes(runs: LabelRuns): Uint8Array {
  const count = runs.starts.length;
  const bytes = new Uint8Array(count * runBytes);
  const view = new DataView(bytes.buffer);
  for (let r = 0; r < count; r++) {
    view.setUint32(r * runBytes, runs.starts[r] as number, true);
    view.setUint32(r * runBytes + 4, runs.lengths[r] as number, true);
    view.setUint8(r * runBytes + 8, runs.values[r] as number);
  }
  return bytes;
}

/** Parses bytes written by runsToBytes; throws a RangeError on a truncated buffer. */
export function runsFromBytes(bytes: Uint8Array): LabelRuns {
  if (bytes.length % runBytes !== 0) throw new RangeError(`Label runs take ${runBytes} bytes each; got ${bytes.length} bytes.`);
  const count = bytes.length / runBytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = new Uint32Array(count);
  const lengths = new Uint32Array(count);
  const values = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    starts[r] = view.getUint32(r * runBytes, true);
    lengths[r] = view.getUint32(r * runBytes + 4, true);
    values[r] = view.getUint8(r * runBytes + 8);
  }
  return { starts, lengths, values };
}

/** Runs from bytes (runsToBytes), checked against the voxel count of what they cover. */
export function decodeRuns(bytes: Uint8Array, voxelCount: number): LabelRuns {
  const runs = runsFromBytes(bytes);
  checkRuns(runs, voxelCount);
  return runs;
}
