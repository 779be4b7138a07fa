/**
 * What a voxel shows: its stroke if it has one (255, a background stroke,
 * is shown as such, in a neutral colour), else its accepted label unless that
 * is 255 (erased, shown as nothing), else 0. The model's predictions are
 * drawn separately (outlined/translucent), never mixed in here.
 */
import { erasedValue } from '../../src-main/shared/contract/labels';

/** Display value of one voxel from its stroke and accepted values. */
export function displayValue(stroke: number, accepted: number): number {
  if (stroke !== 0) return stroke;
  return accepted === erasedValue ? 0 : accepted;
}

/** Recomputes `display` over [start, end) (used after loading runs). */
export function composeRange(display: Uint8Array, strokes: Uint8Array, accepted: Uint8Array, start: number, end: number): void {
  for (let v = start; v < end; v++) display[v] = displayValue(strokes[v] as number, accepted[v] as number);
}
