/**
 * Every workstation-wide keyboard shortcut, in one table: the dispatcher and
 * the shortcuts dialog both read it, so what is documented is what works.
 * Keys inside a widget (the segment list's arrows and F2) are handled by the
 * widget and only listed here.
 */
import type { Plane, ViewportLayout } from '../stores/layout';
import type { PaintTool } from '../viewer/paintSession';

/** What a shortcut asks the workstation to do. */
export type ShortcutCommand =
  | { readonly kind: 'layout'; readonly layout: ViewportLayout }
  | { readonly kind: 'plane'; readonly plane: Plane }
  | { readonly kind: 'toggle-series-panel' }
  | { readonly kind: 'toggle-tools-panel' }
  | { readonly kind: 'show-shortcuts' }
  | { readonly kind: 'tool'; readonly tool: PaintTool }
  | { readonly kind: 'brush-size'; readonly direction: 1 | -1 }
  | { readonly kind: 'undo' }
  | { readonly kind: 'redo' };

/** One row of the shortcuts dialog. */
export interface ShortcutDoc {
  /** Keys as printed on the keyboard. */
  readonly keys: readonly string[];
  readonly description: string;
  readonly scope: 'Anywhere' | 'Segment list' | 'Viewports';
}

const globalKeys: Readonly<Record<string, ShortcutCommand>> = {
  '1': { kind: 'layout', layout: '1x1' },
  '3': { kind: 'layout', layout: '1x3' },
  a: { kind: 'plane', plane: 'axial' },
  s: { kind: 'plane', plane: 'sagittal' },
  c: { kind: 'plane', plane: 'coronal' },
  '{': { kind: 'toggle-series-panel' },
  '}': { kind: 'toggle-tools-panel' },
  '?': { kind: 'show-shortcuts' },
  n: { kind: 'tool', tool: 'navigate' },
  Escape: { kind: 'tool', tool: 'navigate' },
  b: { kind: 'tool', tool: 'brush' },
  t: { kind: 'tool', tool: 'threshold' },
  e: { kind: 'tool', tool: 'eraser' },
  x: { kind: 'tool', tool: 'background' },
  f: { kind: 'tool', tool: 'fill' },
  '[': { kind: 'brush-size', direction: -1 },
  ']': { kind: 'brush-size', direction: 1 },
};

/** The shortcuts, as the dialog lists them. */
export const shortcutDocs: readonly ShortcutDoc[] = [
  { keys: ['1'], description: 'One large viewport (the active plane)', scope: 'Anywhere' },
  { keys: ['3'], description: 'Three viewports: axial, sagittal, coronal', scope: 'Anywhere' },
  { keys: ['A'], description: 'Make the axial plane active', scope: 'Anywhere' },
  { keys: ['S'], description: 'Make the sagittal plane active', scope: 'Anywhere' },
  { keys: ['C'], description: 'Make the coronal plane active', scope: 'Anywhere' },
  { keys: ['{'], description: 'Show or hide the series panel', scope: 'Anywhere' },
  { keys: ['}'], description: 'Show or hide the segments and training panels', scope: 'Anywhere' },
  { keys: ['?'], description: 'Show this list', scope: 'Anywhere' },
  { keys: ['N', 'Esc'], description: 'Navigate: left drag sets the window', scope: 'Anywhere' },
  { keys: ['B'], description: 'Brush: paint the active segment', scope: 'Anywhere' },
  { keys: ['T'], description: 'Threshold brush: paint only inside the intensity range', scope: 'Anywhere' },
  { keys: ['E'], description: 'Eraser', scope: 'Anywhere' },
  { keys: ['X'], description: 'Background brush: mark what is not any structure', scope: 'Anywhere' },
  { keys: ['F'], description: 'Fill the closed contour under the click', scope: 'Anywhere' },
  { keys: ['[', ']'], description: 'Smaller or larger brush', scope: 'Anywhere' },
  { keys: ['Shift+wheel'], description: 'Smaller or larger brush (while a brush is chosen)', scope: 'Viewports' },
  { keys: ['Ctrl+Z'], description: 'Undo the last edit of the labels', scope: 'Anywhere' },
  { keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], description: 'Redo', scope: 'Anywhere' },
  { keys: ['↑', '↓'], description: 'Make the previous or next segment active', scope: 'Segment list' },
  { keys: ['F2'], description: 'Rename the focused segment', scope: 'Segment list' },
  { keys: ['Enter'], description: 'Keep the new name', scope: 'Segment list' },
  { keys: ['Esc'], description: 'Discard the new name', scope: 'Segment list' },
];

/** The parts of a KeyboardEvent the dispatcher reads. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey?: boolean;
  readonly defaultPrevented: boolean;
  readonly target: EventTarget | null;
}

/** Keys typed into a field belong to the field, never to a shortcut. */
function isTextEntry(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'color', 'range'].includes(target.type);
  return false;
}

/** The command a key press means, or null when it is not a shortcut here. */
export function shortcutFor(press: KeyPress): ShortcutCommand | null {
  if (press.defaultPrevented || press.altKey || isTextEntry(press.target)) return null;
  if (press.ctrlKey || press.metaKey) {
    // Undo and redo of the labels; every other modified key belongs to the browser and the OS (copy, reload, zoom).
    const key = press.key.toLowerCase();
    if (key === 'z') return press.shiftKey === true ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y' && press.shiftKey !== true) return { kind: 'redo' };
    return null;
  }
  return globalKeys[press.key.length === 1 ? press.key.toLowerCase() : press.key] ?? null;
}
