import { describe, expect, it } from 'vitest';
import { labelDice } from '../../../src-main/eval/dice';
import { generatePhantom } from '../../../src-main/eval/phantom';
import { simulateScribbles, spreadSlices } from '../../../src-main/eval/scribble';

const slicesWith = (truth: Uint8Array, size: number, depth: number, label: number): number[] =>
  Array.from({ length: depth }, (_, z) => z).filter((z) => truth.subarray(z * size * size, (z + 1) * size * size).includes(label));

describe('phantom', () => {
  it('is deterministic per seed and varies its geometry between seeds', () => {
    const a = generatePhantom({ size: 32, slices: 12, seed: 3 });
    const b = generatePhantom({ size: 32, slices: 12, seed: 3 });
    const c = generatePhantom({ size: 32, slices: 12, seed: 4 });
    expect(Array.from(a.image)).toEqual(Array.from(b.image));
    expect(Array.from(a.truth)).toEqual(Array.from(b.truth));
    expect(labelDice(a.truth, 1, c.truth, 1).dice).toBeLessThan(0.9);
    expect(a.structures.map((s) => s.slices)).not.toEqual(c.structures.map((s) => s.slices));
  });

  it('has three structures, each on part of the slices, with separated mean intensities', () => {
    const size = 48;
    const depth = 24;
    const p = generatePhantom({ size, slices: depth, seed: 11 });
    const means = [0, 1, 2, 3].map((label) => {
      let sum = 0;
      let n = 0;
      p.truth.forEach((t, i) => {
        if (t === label) {
          sum += p.image[i] ?? 0;
          n += 1;
        }
      });
      return sum / n;
    });
    // background < vessel < ring < organ (scanner-like units)
    expect(means[0]!).toBeLessThan(means[3]! - 100);
    expect(means[3]!).toBeLessThan(means[2]! - 100);
    expect(means[2]!).toBeLessThan(means[1]! - 100);
    for (const s of p.structures) {
      const present = slicesWith(p.truth, size, depth, s.label);
      expect(present[0]).toBe(s.slices[0]);
      expect(present.at(-1)).toBe(s.slices[1]);
      expect(present.length).toBe(s.slices[1] - s.slices[0] + 1);
      expect(present.length).toBeLessThan(depth); // appears and disappears
    }
  });

  it('refuses bad sizes', () => {
    expect(() => generatePhantom({ size: 8 })).toThrow(/size must be an integer from 16/);
    expect(() => generatePhantom({ slices: 2.5 })).toThrow(/slices must be an integer from 4/);
    expect(() => generatePhantom({ bias: 0.7 })).toThrow(/bias in \[0, 0.5\)/);
  });
});

describe('scribble simulation', () => {
  it('spreads K slices over the extent', () => {
    expect(spreadSlices([4, 5, 6, 7, 8, 9, 10, 11, 12], 3)).toEqual([5, 8, 11]);
    expect(spreadSlices([2, 3], 3)).toEqual([2, 3]);
  });

  it('strokes K slices per label: cores inside the structure, background just outside, nothing elsewhere', () => {
    const size = 48;
    const depth = 24;
    const p = generatePhantom({ size, slices: depth, seed: 11 });
    const s = simulateScribbles(p.truth, p, [1, 2, 3], { slicesPerLabel: 3 });
    const plane = size * size;
    for (const label of s.perLabel) {
      expect(label.slices).toHaveLength(3);
      expect(label.structureVoxels).toBeGreaterThan(5);
      expect(label.backgroundVoxels).toBeGreaterThan(label.structureVoxels);
      const structure = p.structures.find((x) => x.label === label.label)!;
      for (const z of label.slices) expect(z >= structure.slices[0] && z <= structure.slices[1]).toBe(true);
    }
    expect(s.slices).toEqual([...new Set(s.perLabel.flatMap((l) => l.slices))].sort((a, b) => a - b));
    s.labels.forEach((value, i) => {
      if (value === -1) return;
      const z = Math.floor(i / plane);
      expect(s.slices).toContain(z);
      if (value === 0) expect(p.truth[i]).toBe(0);
      else {
        expect(p.truth[i]).toBe(value); // class index = label here (labels 1, 2, 3 in order)
        // eroded core: the 4-neighbours are the same structure
        for (const d of [1, -1, size, -size]) expect(p.truth[i + d]).toBe(value);
      }
    });
  });

  it('continues each stroke line into the far background (so background is not only seen next to an edge)', () => {
    const size = 48;
    const p = generatePhantom({ size, slices: 24, seed: 11 });
    const plane = size * size;
    const farBackground = (labels: Int32Array): number => {
      let far = 0;
      labels.forEach((v, i) => {
        if (v !== 0) return;
        const z = Math.floor(i / plane);
        const x = i % size;
        const y = Math.floor((i % plane) / size);
        // No structure voxel within 6 voxels on this slice.
        let near = false;
        for (let dy = -6; dy <= 6 && !near; dy += 1) for (let dx = -6; dx <= 6 && !near; dx += 1) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < size && yy < size && p.truth[z * plane + xx + yy * size] !== 0) near = true;
        }
        if (!near) far += 1;
      });
      return far;
    };
    const withLine = simulateScribbles(p.truth, p, [1, 2, 3], { slicesPerLabel: 3 });
    const bandOnly = simulateScribbles(p.truth, p, [1, 2, 3], { slicesPerLabel: 3, backgroundLine: false });
    expect(farBackground(bandOnly.labels)).toBe(0);
    expect(farBackground(withLine.labels)).toBeGreaterThan(100);
    withLine.perLabel.forEach((l, i) => expect(l.backgroundVoxels).toBeGreaterThan(bandOnly.perLabel[i]!.backgroundVoxels));
  });

  it('maps labels to class indices in the order given and refuses an absent label', () => {
    const p = generatePhantom({ size: 32, slices: 12, seed: 2 });
    const s = simulateScribbles(p.truth, p, [3, 1], { slicesPerLabel: 1 });
    expect(s.perLabel.map((l) => [l.label, l.classIndex])).toEqual([[3, 1], [1, 2]]);
    s.labels.forEach((v, i) => {
      if (v === 1) expect(p.truth[i]).toBe(3);
      if (v === 2) expect(p.truth[i]).toBe(1);
    });
    expect(() => simulateScribbles(p.truth, p, [7], { slicesPerLabel: 2 })).toThrow(/label 7 does not occur/);
    expect(() => simulateScribbles(p.truth, p, [1], { slicesPerLabel: 0 })).toThrow(/positive integer/);
  });
});

describe('Dice', () => {
  it('matches hand-computed overlaps', () => {
    expect(labelDice([1, 1, 0, 0], 1, [1, 0, 1, 0], 1)).toEqual({ dice: 0.5, truthVoxels: 2, predictedVoxels: 2, intersection: 1 });
    expect(labelDice([2, 2, 0], 2, [5, 5, 0], 5).dice).toBe(1);
    expect(labelDice([0, 0], 1, [0, 0], 1).dice).toBe(1);
    expect(labelDice([1, 0], 1, [0, 1], 1).dice).toBe(0);
    expect(() => labelDice([1], 1, [1, 1], 1)).toThrow(/1 voxels, the truth 2/);
  });
});
