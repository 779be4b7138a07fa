/**
 * The k slice (sorted grid) the radiologist is looking at, for
 * `session.focus`: inference starts there. Read from the viewport whose
 * plane cuts the grid across its third axis (the axial view of an axial
 * series), preferring the active plane; then sent at most once per change,
 * debounced so scrolling through 40 slices sends one request, not 40.
 */
import type { LabelGrid } from '../labels/labelGrid';
import type { Plane } from '../stores/layout';
import { gridSliceOf } from '../viewer/sliceScope';
import type { PlaneReadout } from '../viewer/viewerApi';
import type { Scheduler } from './predictionFeed';

/** The k the viewer shows, or null when no viewport shows a k slice. */
export function focusSliceOf(grid: LabelGrid, readouts: Readonly<Record<Plane, PlaneReadout | null>>, active: Plane): number | null {
  const order: Plane[] = [active, ...(['axial', 'coronal', 'sagittal'] as const).filter((plane) => plane !== active)];
  for (const plane of order) {
    const readout = readouts[plane];
    if (readout === null) continue;
    const slice = gridSliceOf(grid, readout);
    if (slice !== null && slice.axis === 2) return slice.index;
  }
  return null;
}

/** Sends the focus slice after it stayed put for `delayMs`, and only when it differs from the last one sent. */
export class FocusSender {
  private wanted: number | null = null;
  private sent: number | null = null;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly send: (k: number) => void,
    private readonly schedule: Scheduler,
    private readonly delayMs = 150,
  ) {}

  /** The slice now on screen. */
  update(k: number | null): void {
    this.wanted = k;
    this.cancel?.();
    this.cancel = null;
    if (k === null || k === this.sent) return;
    this.cancel = this.schedule(() => {
      this.cancel = null;
      if (this.wanted === null || this.wanted === this.sent) return;
      this.sent = this.wanted;
      this.send(this.wanted);
    }, this.delayMs);
  }

  /** Forgets what was sent (a new session needs to hear the focus again) and sends the wanted slice. */
  reset(): void {
    this.sent = null;
    this.update(this.wanted);
  }

  dispose(): void {
    this.cancel?.();
    this.cancel = null;
  }
}
