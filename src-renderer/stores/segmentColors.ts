/**
 * Colours for new segments. The palette is a set of hues that stay apart on
 * a grey CT/MR image and from one another (after Trubetskoy's "20 distinct
 * colours", without the greys, black, white and navy that vanish on a
 * grayscale image or a dark UI). Past the palette, hues are spread by the
 * golden angle, so even the 200th segment differs from its neighbours.
 */

/** The colours handed out first, in order. */
export const segmentPalette: readonly string[] = [
  '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6',
  '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3',
  '#808000', '#ffd8b1',
];

const hexColor = /^#[0-9a-f]{6}$/;

/** Normalises `#RRGGBB` to lower case; null for anything else (what <input type=color> yields is always valid). */
export function normalizeColor(value: string): string | null {
  const lower = value.trim().toLowerCase();
  return hexColor.test(lower) ? lower : null;
}

/** The first palette colour no segment uses, else a generated one distinct from all in use. */
export function nextSegmentColor(inUse: Iterable<string>): string {
  const used = new Set<string>();
  for (const color of inUse) used.add(color.toLowerCase());
  const free = segmentPalette.find((color) => !used.has(color));
  if (free !== undefined) return free;
  for (let step = 0; ; step++) {
    const hue = (step * 137.508) % 360;
    // Alternate lightness so consecutive hues also differ in brightness.
    const color = hslToHex(hue, 0.7, step % 2 === 0 ? 0.55 : 0.7);
    if (!used.has(color)) return color;
  }
}

/** Standard HSL to `#rrggbb` conversion (h in degrees, s and l in 0..1). */
export function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
