/**
 * Brush size steps and limits. Sizes are radii in millimetres (what the
 * label model paints with); the UI shows the diameter too. [ and ] and
 * Shift+wheel step through a roughly geometric ladder, so small brushes
 * change finely and large ones quickly.
 */

/** An intensity window in modality units (HU for CT). */
export interface ThresholdRange {
  readonly low: number;
  readonly high: number;
}

export const minBrushRadiusMm = 0.5;
export const maxBrushRadiusMm = 50;
export const defaultBrushRadiusMm = 5;

/** Radii the steps go through. */
export const brushRadiusSteps: readonly number[] = [0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50];

/** `mm` limited to what the brush paints. */
export function clampBrushRadius(mm: number): number {
  if (!Number.isFinite(mm)) return defaultBrushRadiusMm;
  return Math.min(maxBrushRadiusMm, Math.max(minBrushRadiusMm, mm));
}

/** The next radius up (direction 1) or down (-1) the ladder from `mm`. */
export function stepBrushRadius(mm: number, direction: 1 | -1): number {
  if (direction > 0) return brushRadiusSteps.find((step) => step > mm + 1e-9) ?? maxBrushRadiusMm;
  return [...brushRadiusSteps].reverse().find((step) => step < mm - 1e-9) ?? minBrushRadiusMm;
}
