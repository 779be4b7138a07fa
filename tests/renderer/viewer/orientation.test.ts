import { describe, expect, it } from 'vitest';
import { directionLetters, orientationLabels } from '../../../src-renderer/viewer/orientationLabels';
import { slicePositionMm } from '../../../src-renderer/viewer/slicePosition';

describe('orientation letters', () => {
  it('names patient directions in LPS', () => {
    expect(directionLetters([1, 0, 0])).toBe('L');
    expect(directionLetters([-1, 0, 0])).toBe('R');
    expect(directionLetters([0, 1, 0])).toBe('P');
    expect(directionLetters([0, -1, 0])).toBe('A');
    expect(directionLetters([0, 0, 1])).toBe('S');
    expect(directionLetters([0, 0, -1])).toBe('I');
    expect(directionLetters([0, 0, 0])).toBe('');
  });

  it('gives oblique directions with the strongest letter first and drops small components', () => {
    expect(directionLetters([0.8, -0.6, 0])).toBe('LA');
    expect(directionLetters([0.1, 0, 0.99])).toBe('S');
    expect(directionLetters([0.5, 0.5, -0.7])).toBe('ILP');
  });

  it('labels cornerstone\'s standard views in the radiological convention', () => {
    // Axial: looking from the feet, anterior up; the patient's right on the screen's left.
    expect(orientationLabels([0, -1, 0], [0, 0, -1])).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    // Sagittal: superior up, anterior on the left.
    expect(orientationLabels([0, 0, 1], [1, 0, 0])).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    // Coronal: superior up, the patient's right on the screen's left.
    expect(orientationLabels([0, 0, 1], [0, -1, 0])).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
  });
});

describe('slice position', () => {
  it('is the coordinate along the axis the view looks along, signed as LPS whichever way the camera faces', () => {
    expect(slicePositionMm([10, 20, -42.5], [0, 0, -1])).toBeCloseTo(-42.5);
    expect(slicePositionMm([10, 20, -42.5], [0, 0, 1])).toBeCloseTo(-42.5);
    expect(slicePositionMm([-7, 20, 3], [1, 0, 0])).toBeCloseTo(-7);
    expect(slicePositionMm([-7, 20, 3], [0, -1, 0])).toBeCloseTo(20);
  });
});
