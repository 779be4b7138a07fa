/**
 * What a voxel shows: its stroke if it has one (255, a background stroke,
 * is shown as such, in a neutral colour), else its accepted label unless that
 * is 255 (erased, shown as nothing), else 0. The model's predictions are
 * drawn separately (outlined/translucent), never mixed in here. Also here:
 * recomputing the display where an edit wrote, and which voxels of an undo
 * step change on screen.
 */
import { erasedValue } from '../../src-main/shared/contract/labels';
import type { EditDelta } from './editDelta';
import { IndexList } from './indexList';

/** Display value of one voxel from its stroke and accepted values. */
export function displayValue(stroke: number, accepted: number): number {
  if (stroke !== 0) return stroke;
  return accepted === erasedValue ? 0 : accepted;
}

/** Recomputes `display` over [start, end) (used after loading runs). */
export function composeRange(display: Uint8Array, strokes: Uint8Array, accepted: Uint8Array, start: number, end: number): void {
  for (let v = start; v < end; v++) display[v] = displayValue(strokes[v] as number, accepted[v] as number);
}

/** Recomputes `display` at `indices` from the layers; returns those whose display value changed, in the order given. */
export function recomposeAt(display: Uint8Array, strokes: Uint8Array, accepted: Uint8Array, indices: Uint32Array): Uint32Array {
  const changed = new IndexList();
  for (const v of indices) {
    const shown = displayValue(strokes[v] as number, accepted[v] as number);
    if (shown !== display[v]) {
      display[v] = shown;
      changed.push(v);
    }
  }
  return changed.toArray();
}

/** The voxels of an undo step whose display value differs between its before and after values, increasing. */
export function shownChanges(delta: EditDelta): Uint32Array {
  const shown = new IndexList();
  for (let c = 0; c < delta.indices.length; c++) {
    if (displayValue(delta.strokesBefore[c] as number, delta.acceptedBefore[c] as number) !== displayValue(delta.strokesAfter[c] as number, delta.acceptedAfter[c] as number)) {
      shown.push(delta.indices[c] as number);
    }
  }
  return shown.toArray();
}
