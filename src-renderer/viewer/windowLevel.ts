/**
 * Window/level in the units of the displayed pixels (Hounsfield units for
 * CT), and the conversion to and from cornerstone's VOI range. DICOM's
 * linear VOI function (PS3.3 C.11.2.1.2) maps [center - width/2, center + width/2].
 */

/** A display window: width and center (level). */
export interface WindowLevel {
  readonly width: number;
  readonly center: number;
}

/** The lower and upper pixel values of a window. */
export interface ValueRange {
  readonly lower: number;
  readonly upper: number;
}

/** The value range a window shows. */
export function rangeOfWindow({ width, center }: WindowLevel): ValueRange {
  return { lower: center - width / 2, upper: center + width / 2 };
}

/** The window that shows exactly a value range (at least 1 wide). */
export function windowOfRange({ lower, upper }: ValueRange): WindowLevel {
  return { width: Math.max(1, upper - lower), center: (lower + upper) / 2 };
}

/** Whether two windows show the same values, to the rounding an overlay prints. */
export function sameWindow(a: WindowLevel, b: WindowLevel): boolean {
  return Math.round(a.width) === Math.round(b.width) && Math.round(a.center) === Math.round(b.center);
}
