/**
 * The bulk edits' writes into the two layers (layerEdits.ts): what each writes,
 * and that each records every written voxel once, in increasing order, with
 * its old values (the undo step is made from that record).
 */
import { describe, expect, it } from 'vitest';
import { OrderedDeltaBuilder } from '../../../src-renderer/labels/editDelta';
import { LabelEditError } from '../../../src-renderer/labels/labelEditError';
import { eraseLabel, mergeRunsIntoAccepted, strokeRegion } from '../../../src-renderer/labels/layerEdits';

function layers(strokes: number[], accepted: number[]): { strokes: Uint8Array; accepted: Uint8Array } {
  return { strokes: Uint8Array.from(strokes), accepted: Uint8Array.from(accepted) };
}

describe('layer edits', () => {
  it('strokes a region except where a locked segment shows or the stroke is already', () => {
    const target = layers([0, 2, 0, 1, 0], [0, 0, 3, 0, 4]);
    const builder = new OrderedDeltaBuilder();
    strokeRegion(target, Uint32Array.from([0, 1, 2, 3, 4]), 1, new Set([3]), builder);
    expect([...target.strokes]).toEqual([1, 1, 0, 1, 1]);
    expect([...builder.recordedIndices()]).toEqual([0, 1, 4]);
    const delta = builder.finish(target.strokes, target.accepted);
    expect([...(delta?.strokesBefore ?? [])]).toEqual([0, 2, 0]);
  });

  it('erases a label from both layers, recording each voxel once in increasing order', () => {
    const target = layers([2, 0, 2, 1, 0, 2], [0, 2, 2, 2, 1, 0]);
    const builder = new OrderedDeltaBuilder();
    eraseLabel(target, 2, builder);
    expect([...target.strokes]).toEqual([0, 0, 0, 1, 0, 0]);
    expect([...target.accepted]).toEqual([0, 0, 0, 0, 1, 0]);
    expect([...builder.recordedIndices()]).toEqual([0, 1, 2, 3, 5]);
    const delta = builder.finish(target.strokes, target.accepted);
    expect([...(delta?.acceptedBefore ?? [])]).toEqual([0, 2, 2, 2, 0]);
  });

  it('merges runs into the accepted layer, and refuses unknown labels or runs beyond the layers before writing anything', () => {
    const target = layers([0, 0, 0, 0], [0, 1, 0, 0]);
    const builder = new OrderedDeltaBuilder();
    mergeRunsIntoAccepted(target, { starts: Uint32Array.from([0]), lengths: Uint32Array.from([2]), values: Uint8Array.from([1]) }, new Set([1]), builder);
    expect([...target.accepted]).toEqual([1, 1, 0, 0]);
    expect([...builder.recordedIndices()]).toEqual([0]);

    const untouched = layers([0, 0, 0, 0], [0, 0, 0, 0]);
    const unknown = { starts: Uint32Array.from([0, 2]), lengths: Uint32Array.from([1, 1]), values: Uint8Array.from([1, 5]) };
    expect(() => mergeRunsIntoAccepted(untouched, unknown, new Set([1]), new OrderedDeltaBuilder())).toThrow(LabelEditError);
    const beyond = { starts: Uint32Array.from([0, 3]), lengths: Uint32Array.from([1, 2]), values: Uint8Array.from([1, 1]) };
    expect(() => mergeRunsIntoAccepted(untouched, beyond, new Set([1]), new OrderedDeltaBuilder())).toThrow('The voxels to merge do not fit this series.');
    expect([...untouched.accepted]).toEqual([0, 0, 0, 0]);
  });
});
