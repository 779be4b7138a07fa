import { describe, expect, it } from 'vitest';
import { stepBrushRadius, clampBrushRadius, maxBrushRadiusMm, minBrushRadiusMm } from '../../../src-renderer/viewer/brushSettings';
import { intensityView } from '../../../src-renderer/viewer/intensityView';
import { backgroundStrokeColor, hexToRgba, hiddenLabels, labelColorTable } from '../../../src-renderer/viewer/labelColors';
import { defaultLabelDisplay, labelDisplayKey, loadLabelDisplay, normalizeLabelDisplay, saveLabelDisplay } from '../../../src-renderer/viewer/labelDisplaySettings';
import type { LabelOverlayStyle } from '../../../src-renderer/viewer/viewerApi';
import { slicesToRefresh } from '../../../src-renderer/viewer/refreshSlices';

const style: LabelOverlayStyle = {
  ...defaultLabelDisplay,
  segments: [
    { label: 1, color: '#e6194b', visible: true },
    { label: 3, color: '#3cb44b', visible: false },
  ],
};

describe('labelColorTable', () => {
  it('colours segments, hides hidden ones and value 0, and shows background strokes neutral only in the user layer', () => {
    const display = labelColorTable(style, 'display');
    expect(display).toHaveLength(256);
    expect(display[0]).toEqual([0, 0, 0, 0]);
    expect(display[1]).toEqual([230, 25, 75, 255]);
    expect(display[3]?.[3]).toBe(0);
    expect(display[255]).toEqual(backgroundStrokeColor);
    expect(labelColorTable(style, 'prediction')[255]).toEqual([0, 0, 0, 0]);
    expect([...hiddenLabels(style)]).toEqual([3]);
  });

  it('draws background strokes visibly over dark tissue and bright scalp at the default opacity', () => {
    const [r, g, b, a] = labelColorTable({ ...style, labelOpacity: defaultLabelDisplay.labelOpacity }, 'display')[255] ?? [0, 0, 0, 0];
    const alpha = (a / 255) * defaultLabelDisplay.labelOpacity;
    for (const grey of [20, 120, 230]) {
      const shown = [r, g, b].map((channel) => alpha * channel + (1 - alpha) * grey);
      expect(Math.max(...shown.map((channel) => Math.abs(channel - grey)))).toBeGreaterThan(60);
    }
  });

  it('reads #rrggbb colours and falls back to grey', () => {
    expect(hexToRgba('#00ff80')).toEqual([0, 255, 128, 255]);
    expect(hexToRgba('red')).toEqual([128, 128, 128, 255]);
  });
});

describe('label display settings', () => {
  it('clamps and checks every field, keeping the rest', () => {
    expect(normalizeLabelDisplay({ labelOpacity: 3, predictionOutline: 'yes' })).toEqual({ ...defaultLabelDisplay, labelOpacity: 1 });
    expect(normalizeLabelDisplay(null)).toEqual(defaultLabelDisplay);
  });

  it('round-trips through storage and survives garbage or a throwing storage', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) };
    saveLabelDisplay({ ...defaultLabelDisplay, predictionOpacity: 0.1 }, storage);
    expect(loadLabelDisplay(storage).predictionOpacity).toBe(0.1);
    stored.set(labelDisplayKey, '{not json');
    expect(loadLabelDisplay(storage)).toEqual(defaultLabelDisplay);
    const throwing = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('full'); } };
    expect(loadLabelDisplay(throwing)).toEqual(defaultLabelDisplay);
    expect(() => saveLabelDisplay(defaultLabelDisplay, throwing)).not.toThrow();
  });
});

describe('brush size', () => {
  it('steps up and down a ladder within the limits', () => {
    expect(stepBrushRadius(5, 1)).toBe(6);
    expect(stepBrushRadius(5, -1)).toBe(4);
    expect(stepBrushRadius(5.5, -1)).toBe(5);
    expect(stepBrushRadius(maxBrushRadiusMm, 1)).toBe(maxBrushRadiusMm);
    expect(stepBrushRadius(minBrushRadiusMm, -1)).toBe(minBrushRadiusMm);
    expect(clampBrushRadius(500)).toBe(maxBrushRadiusMm);
    expect(clampBrushRadius(Number.NaN)).toBe(5);
  });
});

describe('intensityView', () => {
  it('reads elements through the sampler and has the grid length', () => {
    const view = intensityView((index) => index * 2, 10);
    expect(view.length).toBe(10);
    expect(view[4]).toBe(8);
    expect(view[10]).toBeUndefined();
  });
});

describe('slicesToRefresh', () => {
  it('redraws the changed slices, or all of them when most changed', () => {
    expect(slicesToRefresh([3, 4], 20)).toEqual([3, 4]);
    expect(slicesToRefresh(Array.from({ length: 11 }, (_, k) => k), 20)).toBeNull();
  });
});
