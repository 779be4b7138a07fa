/**
 * The loss of every fine-tuning step of a session, for the live plot. Kept
 * bounded: past `limit` points, every other old point is dropped (the plot
 * keeps its shape, memory stays flat over a long session).
 */

/** One optimiser step's loss. */
export interface LossPoint {
  readonly step: number;
  readonly loss: number;
}

export class LossHistory {
  private items: LossPoint[] = [];

  constructor(private readonly limit = 2000) {
    if (!Number.isInteger(limit) || limit < 4) throw new RangeError(`LossHistory needs a limit of at least 4 points, not ${limit}.`);
  }

  get points(): readonly LossPoint[] {
    return this.items;
  }

  /** Adds points in step order; a step not after the last one is ignored (a repeated event), a non-finite loss too. */
  add(points: readonly LossPoint[]): void {
    for (const point of points) {
      const last = this.items[this.items.length - 1];
      if (last !== undefined && point.step <= last.step) continue;
      if (!Number.isFinite(point.loss)) continue;
      this.items.push(point);
    }
    while (this.items.length > this.limit) this.thin();
  }

  clear(): void {
    this.items = [];
  }

  /** Halves the older half of the points, keeping the newest half at full detail. */
  private thin(): void {
    const half = Math.floor(this.items.length / 2);
    const older = this.items.slice(0, half).filter((_, index) => index % 2 === 0);
    this.items = [...older, ...this.items.slice(half)];
  }
}
