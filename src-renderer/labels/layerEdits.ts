/**
 * What the bulk edits of a label document do to its two layers: a filled
 * contour painted as strokes, a deleted segment's voxels cleared, a label
 * file's voxels merged into the accepted layer. Each writes the new values
 * and records every voxel it writes, with its old values, in increasing index
 * order in an OrderedDeltaBuilder, from which the document makes one undo
 * step. (A brush stroke's rule for a voxel: strokeTool.ts; accepting the
 * prediction: acceptPrediction.ts.)
 */
import type { LabelRuns } from '../../src-main/shared/labels/labelRuns';
import type { OrderedDeltaBuilder } from './editDelta';
import { IndexList } from './indexList';
import { LabelEditError } from './labelEditError';

/** The layers a bulk edit reads and writes. */
export interface EditedLayers {
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
}

/** Strokes `label` on the voxels `indices` (sorted), except where a locked segment shows and where that stroke is already. */
export function strokeRegion(layers: EditedLayers, indices: Uint32Array, label: number, locked: ReadonlySet<number>, builder: OrderedDeltaBuilder): void {
  const { strokes, accepted } = layers;
  for (const v of indices) {
    const s = strokes[v] as number;
    const owner = s !== 0 ? s : (accepted[v] as number);
    if (locked.has(owner) || s === label) continue;
    builder.push(v, s, accepted[v] as number);
    strokes[v] = label;
  }
}

/** Clears `label` from both layers. */
export function eraseLabel(layers: EditedLayers, label: number, builder: OrderedDeltaBuilder): void {
  const { strokes, accepted } = layers;
  // Native indexOf scans the 80 MB layers many times faster than a JS loop.
  const inStrokes = positionsOf(strokes, label);
  const inAccepted = positionsOf(accepted, label);
  let s = 0;
  let a = 0;
  while (s < inStrokes.length || a < inAccepted.length) {
    const nextStroke = s < inStrokes.length ? (inStrokes[s] as number) : Infinity;
    const nextAccepted = a < inAccepted.length ? (inAccepted[a] as number) : Infinity;
    const v = Math.min(nextStroke, nextAccepted);
    builder.push(v, strokes[v] as number, accepted[v] as number);
    if (nextStroke === v) s++;
    if (nextAccepted === v) a++;
  }
  for (const v of inStrokes) strokes[v] = 0;
  for (const v of inAccepted) accepted[v] = 0;
}

/**
 * Writes `runs` (non-zero values only) into the accepted layer. Throws a
 * LabelEditError, before writing anything, for a value that is not in
 * `labels` or a run beyond the layers.
 */
export function mergeRunsIntoAccepted(layers: EditedLayers, runs: LabelRuns, labels: ReadonlySet<number>, builder: OrderedDeltaBuilder): void {
  const { strokes, accepted } = layers;
  for (let r = 0; r < runs.starts.length; r++) {
    const value = runs.values[r] as number;
    if (!labels.has(value)) throw new LabelEditError(`Label ${value} has no segment in the list to merge.`);
    if ((runs.starts[r] as number) + (runs.lengths[r] as number) > accepted.length) throw new LabelEditError('The voxels to merge do not fit this series.');
  }
  for (let r = 0; r < runs.starts.length; r++) {
    const value = runs.values[r] as number;
    const end = (runs.starts[r] as number) + (runs.lengths[r] as number);
    for (let v = runs.starts[r] as number; v < end; v++) {
      if (accepted[v] === value) continue;
      builder.push(v, strokes[v] as number, accepted[v] as number);
      accepted[v] = value;
    }
  }
}

function positionsOf(layer: Uint8Array, value: number): Uint32Array {
  const found = new IndexList();
  for (let v = layer.indexOf(value); v >= 0; v = layer.indexOf(value, v + 1)) found.push(v);
  return found.toArray();
}
