/**
 * One undo step: the voxels an edit changed, with their strokes and accepted
 * values before and after (memory proportional to the change: 4 bytes of
 * index and 4 of values per voxel), plus the segment list when the edit
 * changed it.
 */
import type { Segment } from '../../src-main/shared/contract/labels';

export interface EditDelta {
  /** Changed voxels, strictly increasing. */
  readonly indices: Uint32Array;
  readonly strokesBefore: Uint8Array;
  readonly strokesAfter: Uint8Array;
  readonly acceptedBefore: Uint8Array;
  readonly acceptedAfter: Uint8Array;
  /** Whether any voxel's strokes / accepted value differs (what must be sent to the app on undo). */
  readonly strokesChanged: boolean;
  readonly acceptedChanged: boolean;
  readonly segments?: { readonly before: readonly Segment[]; readonly after: readonly Segment[] };
  /** Approximate memory held, for the history's byte cap. */
  readonly bytes: number;
}

const segmentBytes = 256;

/** Builds a delta from parallel lists; drops voxels whose values ended where they began. */
export function makeDelta(
  indices: Uint32Array,
  strokesBefore: Uint8Array,
  acceptedBefore: Uint8Array,
  strokes: Uint8Array,
  accepted: Uint8Array,
  segments?: EditDelta['segments'],
): EditDelta | null {
  let kept = 0;
  const keep = new Uint8Array(indices.length);
  for (let c = 0; c < indices.length; c++) {
    const v = indices[c] as number;
    if (strokes[v] !== strokesBefore[c] || accepted[v] !== acceptedBefore[c]) {
      keep[c] = 1;
      kept++;
    }
  }
  if (kept === 0 && segments === undefined) return null;
  const out = {
    indices: new Uint32Array(kept),
    strokesBefore: new Uint8Array(kept),
    strokesAfter: new Uint8Array(kept),
    acceptedBefore: new Uint8Array(kept),
    acceptedAfter: new Uint8Array(kept),
  };
  let strokesChanged = false;
  let acceptedChanged = false;
  let o = 0;
  for (let c = 0; c < indices.length; c++) {
    if (keep[c] === 0) continue;
    const v = indices[c] as number;
    out.indices[o] = v;
    out.strokesBefore[o] = strokesBefore[c] as number;
    out.strokesAfter[o] = strokes[v] as number;
    out.acceptedBefore[o] = acceptedBefore[c] as number;
    out.acceptedAfter[o] = accepted[v] as number;
    if (out.strokesBefore[o] !== out.strokesAfter[o]) strokesChanged = true;
    if (out.acceptedBefore[o] !== out.acceptedAfter[o]) acceptedChanged = true;
    o++;
  }
  const segmentCost = segments === undefined ? 0 : (segments.before.length + segments.after.length) * segmentBytes;
  return { ...out, strokesChanged, acceptedChanged, ...(segments === undefined ? {} : { segments }), bytes: kept * 8 + segmentCost + 64 };
}

/** An undo step that changes only the segment list (add, rename, recolour, coding): no voxel. */
export function segmentListDelta(before: readonly Segment[], after: readonly Segment[]): EditDelta {
  const none = new Uint8Array(0);
  return { indices: new Uint32Array(0), strokesBefore: none, strokesAfter: none, acceptedBefore: none, acceptedAfter: none, strokesChanged: false, acceptedChanged: false, segments: { before, after }, bytes: (before.length + after.length) * segmentBytes };
}

/**
 * Collects the old values of voxels touched in increasing index order, each
 * once (bulk edits: accept, fill after sorting, segment delete).
 */
export class OrderedDeltaBuilder {
  private indices = new Uint32Array(1024);
  private strokes = new Uint8Array(1024);
  private accepted = new Uint8Array(1024);
  private count = 0;

  /** Records voxel `index` before it is written. */
  push(index: number, stroke: number, accepted: number): void {
    if (this.count === this.indices.length) this.grow();
    this.indices[this.count] = index;
    this.strokes[this.count] = stroke;
    this.accepted[this.count] = accepted;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The recorded indices (a view; valid until the next push). */
  recordedIndices(): Uint32Array {
    return this.indices.subarray(0, this.count);
  }

  finish(strokes: Uint8Array, accepted: Uint8Array, segments?: EditDelta['segments']): EditDelta | null {
    return makeDelta(this.indices.subarray(0, this.count), this.strokes.subarray(0, this.count), this.accepted.subarray(0, this.count), strokes, accepted, segments);
  }

  private grow(): void {
    const size = this.indices.length * 2;
    const indices = new Uint32Array(size);
    indices.set(this.indices);
    const strokes = new Uint8Array(size);
    strokes.set(this.strokes);
    const accepted = new Uint8Array(size);
    accepted.set(this.accepted);
    this.indices = indices;
    this.strokes = strokes;
    this.accepted = accepted;
  }
}

/**
 * Collects the first old values of voxels touched in any order, any number
 * of times (a brush stroke revisits voxels as the capsules overlap).
 */
export class StrokeRecorder {
  private readonly before = new Map<number, number>();

  /** Records voxel `index`'s values unless it was recorded already in this edit. */
  record(index: number, stroke: number, accepted: number): void {
    if (!this.before.has(index)) this.before.set(index, stroke | (accepted << 8));
  }

  finish(strokes: Uint8Array, accepted: Uint8Array): EditDelta | null {
    const indices = Uint32Array.from(this.before.keys()).sort();
    const strokesBefore = new Uint8Array(indices.length);
    const acceptedBefore = new Uint8Array(indices.length);
    for (let c = 0; c < indices.length; c++) {
      const packed = this.before.get(indices[c] as number) as number;
      strokesBefore[c] = packed & 255;
      acceptedBefore[c] = packed >> 8;
    }
    return makeDelta(indices, strokesBefore, acceptedBefore, strokes, accepted);
  }
}
