/**
 * The window presets a radiologist expects, by modality. CT windows are
 * fixed in Hounsfield units. MR intensities have no absolute scale, so its
 * presets come from the open volume's histogram (histogramWindow.ts): the
 * 1st to 99th percentile ("Auto", what an MR opens in) and the full range.
 */
import type { WindowLevel } from './windowLevel';

/** Ids of the presets. */
export type PresetId = 'brain' | 'lung' | 'abdomen' | 'bone' | 'auto' | 'full';

/** Where a preset's window comes from: fixed values, or percentiles of the volume's voxels. */
export type PresetSource =
  | { readonly kind: 'fixed'; readonly window: WindowLevel }
  | { readonly kind: 'percentiles'; readonly lower: number; readonly upper: number };

/** A preset as the buttons show it. */
export interface WindowPreset {
  readonly id: PresetId;
  readonly label: string;
  /** What the button's tooltip says. */
  readonly description: string;
  readonly source: PresetSource;
}

const fixed = (id: PresetId, label: string, width: number, center: number): WindowPreset => ({
  id, label, description: `Width ${width}, level ${center} HU`, source: { kind: 'fixed', window: { width, center } },
});

/** CT presets (width/level in HU). */
export const ctPresets: readonly WindowPreset[] = [
  fixed('brain', 'Brain', 80, 40),
  fixed('lung', 'Lung', 1500, -600),
  fixed('abdomen', 'Abdomen', 400, 50),
  fixed('bone', 'Bone', 1800, 400),
];

/** The histogram presets, offered for every modality. */
export const histogramPresets: readonly WindowPreset[] = [
  { id: 'auto', label: 'Auto', description: 'From the 1st to the 99th percentile of the volume', source: { kind: 'percentiles', lower: 0.01, upper: 0.99 } },
  { id: 'full', label: 'Full range', description: 'From the lowest to the highest value in the volume', source: { kind: 'percentiles', lower: 0, upper: 1 } },
];

/** The presets offered for a modality. */
export function presetsFor(modality: string): readonly WindowPreset[] {
  return modality.toUpperCase() === 'CT' ? [...ctPresets, ...histogramPresets] : histogramPresets;
}
