/**
 * Line icons on a 16-unit grid, drawn with strokes in the current text
 * colour. Hand-drawn paths rather than an icon font: nothing is fetched, and
 * the CSP stays strict.
 */

const frame = 'M3 3.5h10a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1z';
const eye = 'M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM10 8a2 2 0 1 1-4 0 2 2 0 0 1 4 0z';
const lockBody = 'M4.5 7h7a1 1 0 0 1 1 1v5a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z';

/** Every icon the UI uses, as SVG path data. */
export const iconPaths = {
  plus: ['M8 3v10M3 8h10'],
  eye: [eye],
  'eye-off': [eye, 'M2.5 2.5l11 11'],
  lock: [lockBody, 'M5.5 7V5a2.5 2.5 0 0 1 5 0v2'],
  unlock: [lockBody, 'M5.5 7V5a2.5 2.5 0 0 1 4.8-1'],
  pencil: ['M10.5 2.5l3 3L6 13H3v-3z', 'M9 4l3 3'],
  trash: ['M2.5 4.5h11M6.5 4.5V2.5h3v2M4 4.5l.8 9h6.4l.8-9'],
  restart: ['M13.5 8A5.5 5.5 0 1 1 11.9 4.1', 'M13.5 1.5v3.5H10'],
  keyboard: [frame, 'M4.5 6.5h1M7.5 6.5h1M10.5 6.5h1M5 9.5h6'],
  'layout-one': [frame],
  'layout-three': [frame, 'M6 3.5v9M10 3.5v9'],
  'panel-left': [frame, 'M6 3.5v9'],
  'panel-right': [frame, 'M10 3.5v9'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type IconName = keyof typeof iconPaths;
