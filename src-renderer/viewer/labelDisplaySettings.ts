/**
 * How the label layers look, as the user sets it (opacity and outlines of
 * the user's layer and of the predictions), kept in localStorage so it
 * survives a restart. Bad or missing stored values fall back to defaults.
 */

/** The user's choices (the segments' colours and visibility come from the segment list). */
export interface LabelDisplaySettings {
  /** Fill opacity of the user's strokes and accepted masks, 0..1. */
  readonly labelOpacity: number;
  readonly labelOutline: boolean;
  /** Fill opacity of the model's predictions, 0..1 (0 = outline only). */
  readonly predictionOpacity: number;
  readonly predictionOutline: boolean;
  readonly showPrediction: boolean;
}

export const defaultLabelDisplay: LabelDisplaySettings = {
  labelOpacity: 0.6,
  labelOutline: false,
  predictionOpacity: 0.25,
  predictionOutline: true,
  showPrediction: true,
};

/** The localStorage key. */
export const labelDisplayKey = 'macl.labelDisplay.v1';

const unit = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : fallback;
const flag = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

/** Settings from any value (stored JSON, a partial change), each field checked and clamped. */
export function normalizeLabelDisplay(value: unknown, base: LabelDisplaySettings = defaultLabelDisplay): LabelDisplaySettings {
  const source = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    labelOpacity: unit(source.labelOpacity, base.labelOpacity),
    labelOutline: flag(source.labelOutline, base.labelOutline),
    predictionOpacity: unit(source.predictionOpacity, base.predictionOpacity),
    predictionOutline: flag(source.predictionOutline, base.predictionOutline),
    showPrediction: flag(source.showPrediction, base.showPrediction),
  };
}

/** Reads the stored settings (defaults when absent, unreadable or storage is blocked). */
export function loadLabelDisplay(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): LabelDisplaySettings {
  try {
    const raw = storage?.getItem(labelDisplayKey);
    return raw == null ? defaultLabelDisplay : normalizeLabelDisplay(JSON.parse(raw));
  } catch {
    return defaultLabelDisplay;
  }
}

/** Stores the settings; a full or blocked storage only loses the preference, never the labels. */
export function saveLabelDisplay(settings: LabelDisplaySettings, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(labelDisplayKey, JSON.stringify(settings));
  } catch {
    // Preferences are a convenience: keep going with them in memory.
  }
}
