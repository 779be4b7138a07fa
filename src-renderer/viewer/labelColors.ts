/**
 * The colour tables of the two label layers (pure data, tested without
 * WebGL): entry v is the RGBA of voxel value v. Segments take their own
 * colour; the background-stroke value 255 of the user's layer is a strong
 * blue, opaque in the table (the layer's opacity still applies), so "not
 * the structure" shows over dark tissue and bright scalp alike (the light
 * grey it was vanished over scalp); hidden segments and value 0 are fully
 * transparent.
 */
import type { LabelOverlayStyle } from './viewerApi';

/** RGBA, 0..255 each. */
export type Rgba = [number, number, number, number];

/** Value 255 of the user's layer: a background stroke. */
export const backgroundStrokeLabel = 255;

/** Background strokes: a saturated blue, darker than the palette's blues, visible over any grey. */
export const backgroundStrokeColor: Rgba = [0, 90, 255, 255];

/** Labels a voxel carries without a segment in the list (should not happen; shown, not hidden). */
const unknownLabelColor: Rgba = [128, 128, 128, 255];

/** `#rrggbb` to RGBA (opaque); grey for anything else. */
export function hexToRgba(hex: string): Rgba {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (match === null) return [...unknownLabelColor];
  return [parseInt(match[1] ?? '0', 16), parseInt(match[2] ?? '0', 16), parseInt(match[3] ?? '0', 16), 255];
}

/** The 256-entry table of a layer: the user's layer shows background strokes, the prediction layer never has them. */
export function labelColorTable(style: LabelOverlayStyle, layer: 'display' | 'prediction'): Rgba[] {
  const table: Rgba[] = Array.from({ length: 256 }, (_, value) => (value === 0 ? [0, 0, 0, 0] : [...unknownLabelColor]));
  for (const segment of style.segments) {
    if (segment.label < 1 || segment.label > 254) continue;
    const color = hexToRgba(segment.color);
    if (!segment.visible) color[3] = 0;
    table[segment.label] = color;
  }
  table[backgroundStrokeLabel] = layer === 'display' ? [...backgroundStrokeColor] : [0, 0, 0, 0];
  return table;
}

/** The labels hidden in a layer (for outlines, which ignore the table's alpha). */
export function hiddenLabels(style: LabelOverlayStyle): Set<number> {
  return new Set(style.segments.filter((segment) => !segment.visible).map((segment) => segment.label));
}
