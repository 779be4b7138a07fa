/**
 * The fast layer scan gives exactly the runs of a byte-by-byte reference,
 * at every alignment and on layers of every density.
 */
import { describe, expect, it } from 'vitest';
import type { LabelRuns } from '../../../src-main/shared/labels/labelRuns';
import { scanLayerRuns } from '../../../src-main/shared/labels/scanLayerRuns';
import { seededRandom } from '../labels/crash/labelEditStream';

/** The obvious scan, one byte at a time: what the fast one must equal. */
function runsFromLayer(layer: Uint8Array): LabelRuns {
  const starts: number[] = [];
  const lengths: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < layer.length; ) {
    const value = layer[i] as number;
    let end = i + 1;
    while (end < layer.length && layer[end] === value) end++;
    if (value !== 0) {
      starts.push(i);
      lengths.push(end - i);
      values.push(value);
    }
    i = end;
  }
  return { starts: Uint32Array.from(starts), lengths: Uint32Array.from(lengths), values: Uint8Array.from(values) };
}

function randomLayer(length: number, density: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const layer = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    if (random() < density) {
      const runLength = 1 + Math.floor(random() * 9);
      layer.fill(1 + Math.floor(random() * 3) * 127, i, i + runLength);
      i += runLength;
    }
  }
  return layer;
}

describe('layer scan', () => {
  it('matches runsFromLayer on sparse, dense, empty and full layers', () => {
    for (const [length, density, seed] of [[4096, 0.001, 1], [4099, 0.05, 2], [1027, 0.9, 3], [7, 0.5, 4], [0, 0, 5], [1, 1, 6]] as const) {
      const layer = randomLayer(length, density, seed);
      expect(scanLayerRuns(layer), `length ${length}, density ${density}`).toEqual(runsFromLayer(layer));
    }
    expect(scanLayerRuns(new Uint8Array(1000).fill(255))).toEqual(runsFromLayer(new Uint8Array(1000).fill(255)));
  });

  it('handles layers that start at any byte offset of their buffer', () => {
    const backing = randomLayer(5003, 0.02, 9);
    for (let offset = 0; offset < 4; offset++) {
      for (const end of [5003, 5002, 5001, 5000]) {
        const view = backing.subarray(offset, end);
        expect(scanLayerRuns(view), `offset ${offset}, end ${end}`).toEqual(runsFromLayer(view));
      }
    }
  });

  it('finds single voxels at the very start and end and next to word boundaries', () => {
    for (const index of [0, 1, 3, 4, 5, 1019, 1020, 1023]) {
      const layer = new Uint8Array(1024);
      layer[index] = 7;
      expect(scanLayerRuns(layer), `voxel ${index}`).toEqual(runsFromLayer(layer));
    }
  });
});
