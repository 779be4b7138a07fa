/** A growable list of voxel indices (a Uint32Array underneath, no boxing). */
export class IndexList {
  private data: Uint32Array;
  private count = 0;

  constructor(capacity = 256) {
    this.data = new Uint32Array(capacity);
  }

  push(index: number): void {
    if (this.count === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.count++] = index;
  }

  get length(): number {
    return this.count;
  }

  /** A copy of the indices, in the order pushed. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.count);
  }
}
