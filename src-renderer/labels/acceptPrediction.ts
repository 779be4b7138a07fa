/**
 * Accepting the model's prediction copies it into the accepted layer, within
 * a scope (a slice, a segment, the volume), and only in slices the model has
 * predicted. It never writes where the user painted (a stroke), where the user
 * erased (accepted 255), over a locked segment, or a label that is no
 * unlocked segment.
 */
import { erasedValue } from '../../src-main/shared/contract/labels';

export type AcceptScope =
  | { readonly kind: 'slice'; readonly axis: 0 | 1 | 2; readonly index: number }
  | { readonly kind: 'segment'; readonly label: number }
  | { readonly kind: 'volume' };

export interface AcceptInput {
  readonly dimensions: readonly [number, number, number];
  readonly strokes: Uint8Array;
  readonly accepted: Uint8Array;
  readonly prediction: Uint8Array;
  /** 1 for each k slice the model has predicted. */
  readonly predictedSlices: Uint8Array;
  /** 1 for each label that may be written or replaced (existing, unlocked segments and 0). */
  readonly writable: Uint8Array;
}

/**
 * Calls `write(index, value)` for every voxel whose accepted value the
 * accept changes, in increasing index order.
 */
export function forEachAcceptedVoxel(input: AcceptInput, scope: AcceptScope, write: (index: number, value: number) => void): void {
  const [nx, ny, nz] = input.dimensions;
  const plane = nx * ny;
  const { strokes, accepted, prediction, predictedSlices, writable } = input;
  const onlyLabel = scope.kind === 'segment' ? scope.label : -1;

  const consider = (v: number): void => {
    if (strokes[v] !== 0) return;
    const a = accepted[v] as number;
    if (a === erasedValue || writable[a] !== 1) return;
    const p = prediction[v] as number;
    let next: number;
    if (onlyLabel >= 0) {
      if (p === onlyLabel) next = p;
      else if (a === onlyLabel) next = 0;
      else return;
    } else {
      next = p;
    }
    if (next !== a && writable[next] === 1) write(v, next);
  };

  if (scope.kind === 'slice') {
    const { axis, index } = scope;
    const size = axis === 0 ? nx : axis === 1 ? ny : nz;
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`Slice ${index} is outside the volume (axis ${axis} has ${size} slices).`);
    for (let k = 0; k < nz; k++) {
      if (predictedSlices[k] !== 1 || (axis === 2 && k !== index)) continue;
      if (axis === 2) {
        for (let v = k * plane; v < (k + 1) * plane; v++) consider(v);
      } else if (axis === 1) {
        const row = k * plane + index * nx;
        for (let i = 0; i < nx; i++) consider(row + i);
      } else {
        for (let j = 0; j < ny; j++) consider(k * plane + j * nx + index);
      }
    }
    return;
  }
  for (let k = 0; k < nz; k++) {
    if (predictedSlices[k] !== 1) continue;
    for (let v = k * plane; v < (k + 1) * plane; v++) consider(v);
  }
}
