/**
 * The voxels of each layer changed since the app last took them, turned into
 * label runs in bytes for `labels.apply`. Indices are kept as the edits' own sorted
 * lists and merged only when taken; past a few million changed voxels the
 * whole layer is sent instead (runs of a sparse layer stay small).
 */
import type { LabelLayer, LayerChange } from '../../src-main/shared/contract/labels';
import { runsToBytes, runsFromChanges, type LabelRuns } from '../../src-main/shared/labels/labelRuns';

const wholeLayerThreshold = 4_000_000;

interface LayerState {
  chunks: Uint32Array[];
  count: number;
  whole: boolean;
}

export class UnsentChanges {
  private readonly layers: Record<LabelLayer, LayerState> = {
    strokes: { chunks: [], count: 0, whole: false },
    accepted: { chunks: [], count: 0, whole: false },
  };

  /** Notes that `indices` of `layer` changed (the array is kept: pass a copy you will not modify). */
  add(layer: LabelLayer, indices: Uint32Array): void {
    const state = this.layers[layer];
    if (state.whole || indices.length === 0) return;
    state.chunks.push(indices);
    state.count += indices.length;
    if (state.count > wholeLayerThreshold) this.markWhole(layer);
  }

  /** Notes that the whole layer must be sent. */
  markWhole(layer: LabelLayer): void {
    const state = this.layers[layer];
    state.whole = true;
    state.chunks = [];
    state.count = 0;
  }

  get isEmpty(): boolean {
    return !this.layers.strokes.whole && !this.layers.accepted.whole && this.layers.strokes.count === 0 && this.layers.accepted.count === 0;
  }

  /** Forgets everything noted (the layers were just loaded or sent). */
  clear(): void {
    this.markWhole('strokes');
    this.markWhole('accepted');
    this.layers.strokes.whole = false;
    this.layers.accepted.whole = false;
  }

  /** The changes as runs of current values, and forgets them. */
  take(values: Record<LabelLayer, Uint8Array>): LayerChange[] {
    const out: LayerChange[] = [];
    for (const layer of ['strokes', 'accepted'] as const) {
      const state = this.layers[layer];
      const runs = state.whole ? wholeLayerRuns(values[layer]) : changedRuns(state.chunks, state.count, values[layer]);
      if (runs !== null) out.push({ layer, runs: runsToBytes(runs) });
    }
    this.clear();
    return out;
  }
}

function changedRuns(chunks: readonly Uint32Array[], count: number, layer: Uint8Array): LabelRuns | null {
  if (count === 0) return null;
  const merged = new Uint32Array(count);
  let offset = 0;
  for (const chunk of chunks) {
    merged.set(chunk, offset);
    offset += chunk.length;
  }
  merged.sort();
  let unique = 0;
  for (let c = 0; c < merged.length; c++) {
    if (c === 0 || merged[c] !== merged[unique - 1]) merged[unique++] = merged[c] as number;
  }
  const indices = merged.subarray(0, unique);
  const values = new Uint8Array(unique);
  for (let c = 0; c < unique; c++) values[c] = layer[indices[c] as number] as number;
  return runsFromChanges(indices, values);
}

/** Runs covering the whole layer, zeros included (they clear what the app holds). */
function wholeLayerRuns(layer: Uint8Array): LabelRuns {
  const starts: number[] = [];
  const lengths: number[] = [];
  const values: number[] = [];
  let start = 0;
  while (start < layer.length) {
    const value = layer[start] as number;
    let end = start + 1;
    while (end < layer.length && layer[end] === value) end++;
    starts.push(start);
    lengths.push(end - start);
    values.push(value);
    start = end;
  }
  return { starts: Uint32Array.from(starts), lengths: Uint32Array.from(lengths), values: Uint8Array.from(values) };
}
