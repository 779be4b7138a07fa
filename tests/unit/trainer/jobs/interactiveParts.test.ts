/**
 * The small parts of the interactive session: label layers kept by deltas
 * (and the training labels they mean), the focus-outward slice order, slice
 * encoding, and growing the U-Net's head when a new segment appears.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inferenceContext } from '../../../../src-main/ml/batchNorm';
import { createUNet } from '../../../../src-main/ml/unet';
import { applyRuns, decodeRuns, runsToBytes, runsFromChanges } from '../../../../src-main/shared/labels/labelRuns';
import { InteractiveLayers } from '../../../../src-main/trainer/jobs/interactiveLayers';
import { classesFor, growClasses } from '../../../../src-main/trainer/jobs/interactiveModel';
import { focusOrder, volumeOrder } from '../../../../src-main/trainer/jobs/interactiveOrder';
import { encodeSlice } from '../../../../src-main/trainer/jobs/sliceRuns';

const changes = (pairs: Array<[number, number]>): Uint8Array =>
  runsToBytes(runsFromChanges(Uint32Array.from(pairs.map(([i]) => i)), Uint8Array.from(pairs.map(([, v]) => v))));

describe('InteractiveLayers', () => {
  it('maps strokes and background strokes to classes, per changed slice; accepted voxels carry no loss', () => {
    const layers = new InteractiveLayers([4, 4, 3]);
    // Slice 0: a stroke of 2 and a background stroke; slice 2: an accepted 1 and an erased voxel only.
    const changed = layers.apply({ full: true, strokes: changes([[1, 2], [2, 255]]), accepted: changes([[32, 1], [33, 255]]) });
    expect(changed).toEqual([0]);
    expect(layers.slices().map((s) => s.k)).toEqual([0]);
    expect([...(layers.slices()[0]?.labels.subarray(0, 4) ?? [])]).toEqual([-1, 2, 0, -1]);
    expect(layers.maxLabel()).toBe(2);
    // An accept changes no training label: nothing to retrain.
    expect(layers.apply({ full: false, accepted: changes([[16, 2], [17, 2]]) })).toEqual([]);
  });

  it('applies later deltas on top (an erase to 0 unlabels) and a full resend replaces everything', () => {
    const layers = new InteractiveLayers([4, 4, 3]);
    layers.apply({ full: true, strokes: changes([[1, 2], [20, 1]]), accepted: changes([[21, 3]]) });
    expect(layers.apply({ full: false, strokes: changes([[1, 0], [21, 1]]) })).toEqual([0, 1]);
    expect(layers.slices().map((s) => s.k)).toEqual([1]);
    expect([...(layers.slices()[0]?.labels.subarray(4, 6) ?? [])]).toEqual([1, 1]);
    expect(layers.maxLabel()).toBe(1);
    // Painting over a stroke with the same value changes nothing.
    expect(layers.apply({ full: false, strokes: changes([[20, 1]]) })).toEqual([]);
    expect(layers.apply({ full: true, strokes: changes([[40, 4]]) })).toEqual([1, 2]);
    expect(layers.slices().map((s) => s.k)).toEqual([2]);
    expect(layers.maxLabel()).toBe(4);
  });

  it('refuses runs that do not fit the grid, changing nothing', () => {
    const layers = new InteractiveLayers([4, 4, 3]);
    layers.apply({ full: true, strokes: changes([[1, 2]]) });
    expect(() => layers.apply({ full: true, strokes: changes([[48, 1]]) })).toThrow(/Bad strokes runs for a 4x4x3 grid/);
    expect(layers.slices().map((s) => s.k)).toEqual([0]);
  });
});

describe('slice order', () => {
  it('goes from the focus outward, the slice above first', () => {
    expect(volumeOrder(6, 2)).toEqual([2, 3, 1, 4, 0, 5]);
    expect(volumeOrder(3, 10)).toEqual([2, 1, 0]);
    expect(focusOrder([0, 5, 4], 3)).toEqual([4, 5, 0]);
  });
});

describe('encodeSlice', () => {
  it('round-trips through the contract decoding and lists the labels present', () => {
    const slice = new Uint8Array(16);
    slice.set([3, 3, 0, 1], 4);
    const encoded = encodeSlice(slice);
    expect(encoded.labels).toEqual([1, 3]);
    const back = new Uint8Array(16);
    applyRuns(back, decodeRuns(encoded.runs, 16));
    expect([...back]).toEqual([...slice]);
  });
});

describe('growClasses', () => {
  it('keeps the old classes\' logits, adds fresh ones, and drops only the head\'s optimiser moments', () => {
    const unet = createUNet({ classes: 2, width: 2, seed: 5 });
    const optimizer = new Map<string, tf.Tensor>([['enc1.conv1.w.m', tf.ones([1])], ['head.w.m', tf.ones([1])]]);
    const x = tf.randomUniform([1, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.tidy(() => unet.logits(x, inferenceContext()));
    const grown = growClasses({ unet, optimizer, step: 7 }, 4, 9);
    const after = tf.tidy(() => grown.unet.logits(x, inferenceContext()));
    expect(grown.unet.spec.classes).toBe(4);
    expect(after.shape).toEqual([1, 16, 16, 4]);
    const kept = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.slice(after, [0, 0, 0, 0], [1, 16, 16, 2]), before))).dataSync()[0]);
    expect(kept).toBeLessThan(1e-5);
    expect([...grown.optimizer.keys()]).toEqual(['enc1.conv1.w.m']);
    expect(grown.step).toBe(7);
    expect(classesFor(-1)).toBe(2);
    expect(classesFor(5)).toBe(6);
    tf.dispose([x, before, after, ...grown.optimizer.values()]);
    grown.unet.dispose();
  });
});
