/**
 * Segment colours between the app's `#rrggbb` (sRGB) and DICOM's
 * RecommendedDisplayCIELabValue: CIELab under D65 with L* scaled from
 * 0..100 and a*, b* from -128..127 onto 0..65535 (PS3.3 C.10.7.1.1).
 */

const white = [0.95047, 1, 1.08883] as const;

const toLinear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number): number => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
const fInverse = (t: number): number => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** `#rrggbb` to the three scaled unsigned CIELab values DICOM stores. */
export function rgbHexToDicomLab(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (match === null) throw new RangeError(`Colour ${hex} is not #rrggbb.`);
  const [r, g, b] = [match[1], match[2], match[3]].map((part) => toLinear(Number.parseInt(part ?? '0', 16) / 255)) as [number, number, number];
  const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
  const fx = f(x / white[0]);
  const fy = f(y / white[1]);
  const fz = f(z / white[2]);
  const l = 116 * fy - 16;
  const a = 500 * (fx - fy);
  const bStar = 200 * (fy - fz);
  return [Math.round((clamp(l, 0, 100) * 65535) / 100), Math.round(((clamp(a, -128, 127) + 128) * 65535) / 255), Math.round(((clamp(bStar, -128, 127) + 128) * 65535) / 255)];
}

/** Scaled DICOM CIELab values back to `#rrggbb` (out-of-gamut colours clipped). */
export function dicomLabToRgbHex(values: readonly number[]): string {
  const l = ((values[0] ?? 0) * 100) / 65535;
  const a = ((values[1] ?? 32896) * 255) / 65535 - 128;
  const bStar = ((values[2] ?? 32896) * 255) / 65535 - 128;
  const fy = (l + 16) / 116;
  const x = white[0] * fInverse(fy + a / 500);
  const y = white[1] * fInverse(fy);
  const z = white[2] * fInverse(fy - bStar / 200);
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  const hex = (c: number): string => Math.round(clamp(fromLinear(clamp(c, 0, 1)), 0, 1) * 255).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}
