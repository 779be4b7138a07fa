/**
 * What each voxel finally is, from the two stored layers: its stroke if it
 * has one (a background stroke meaning none), else its accepted label (an
 * erased voxel meaning none). This is what exports write.
 */
import { backgroundStrokeValue, erasedValue } from '../shared/contract/labels';

/** Final labels 0..254 per voxel; `strokes` and `accepted` have the same length. */
export function finalLabels(strokes: Uint8Array, accepted: Uint8Array): Uint8Array {
  if (strokes.length !== accepted.length) throw new RangeError(`The strokes layer has ${strokes.length} voxels but the accepted layer ${accepted.length}.`);
  const out = new Uint8Array(strokes.length);
  for (let i = 0; i < strokes.length; i++) {
    const stroke = strokes[i] as number;
    if (stroke !== 0) {
      out[i] = stroke === backgroundStrokeValue ? 0 : stroke;
    } else {
      const kept = accepted[i] as number;
      out[i] = kept === erasedValue ? 0 : kept;
    }
  }
  return out;
}

/** Number of non-zero voxels. */
export function countLabelled(labels: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) count++;
  return count;
}
