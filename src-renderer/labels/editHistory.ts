/**
 * Undo/redo stacks of edit deltas, bounded by a step count and by the bytes
 * the deltas hold; past either bound the oldest steps are dropped. Memory is
 * proportional to what changed, never a copy of the volume.
 */

/** Bounds of the history. */
export interface HistoryLimits {
  /** Most undo steps kept (the issue asks for at least 100). */
  readonly maxSteps: number;
  /** Most bytes held by undo and redo steps together. */
  readonly maxBytes: number;
}

export const defaultHistoryLimits: HistoryLimits = { maxSteps: 200, maxBytes: 256 * 1024 * 1024 };

export class EditHistory<T extends { readonly bytes: number }> {
  private readonly undoStack: T[] = [];
  private readonly redoStack: T[] = [];
  private heldBytes = 0;
  readonly limits: HistoryLimits;

  constructor(limits: Partial<HistoryLimits> = {}) {
    this.limits = { ...defaultHistoryLimits, ...limits };
    if (!(this.limits.maxSteps >= 1) || !(this.limits.maxBytes > 0)) {
      throw new RangeError(`History limits must be positive (got ${this.limits.maxSteps} steps, ${this.limits.maxBytes} bytes).`);
    }
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  get undoSteps(): number {
    return this.undoStack.length;
  }

  /** Bytes held by every kept step. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Records a new edit: the redo steps are dropped, then the oldest steps past the bounds. */
  push(entry: T): void {
    for (const dropped of this.redoStack.splice(0)) this.heldBytes -= dropped.bytes;
    this.undoStack.push(entry);
    this.heldBytes += entry.bytes;
    while (this.undoStack.length > 0 && (this.undoStack.length > this.limits.maxSteps || this.heldBytes > this.limits.maxBytes)) {
      const dropped = this.undoStack.shift() as T;
      this.heldBytes -= dropped.bytes;
    }
  }

  /** The step to undo (moved to the redo stack), or null. */
  takeUndo(): T | null {
    const entry = this.undoStack.pop();
    if (entry === undefined) return null;
    this.redoStack.push(entry);
    return entry;
  }

  /** The step to redo (moved back to the undo stack), or null. */
  takeRedo(): T | null {
    const entry = this.redoStack.pop();
    if (entry === undefined) return null;
    this.undoStack.push(entry);
    return entry;
  }

  clear(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.heldBytes = 0;
  }
}
