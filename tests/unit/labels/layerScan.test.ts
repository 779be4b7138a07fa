/**
 * The fast layer scan gives exactly the runs of the shared reference
 * (runsFromLayer), at every alignment and on layers of every density.
 */
import { describe, expect, it } from 'vitest';
import { scanLayerRuns } from '../../../src-main/labels/layerScan';
import { runsFromLayer } from '../../../src-main/shared/labels/labelRuns';
import { seededRandom } from './crash/labelEditStream';

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
