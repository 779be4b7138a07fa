/**
 * The model's prediction for a series: one label a voxel, never saved, plus
 * which k slices the model has predicted (accepting touches only those) and
 * which hold anything (so "is there a prediction?" needs no scan).
 */
export class PredictionLayer {
  /** The voxels; the same array for the layer's life (the viewer shows it without a copy). */
  readonly values: Uint8Array;
  /** 1 for each k slice the model has predicted. */
  readonly predictedSlices: Uint8Array;
  private readonly nonEmptySlices: Uint8Array;

  constructor(
    voxelCount: number,
    private readonly plane: number,
    private readonly sliceCount: number,
  ) {
    this.values = new Uint8Array(voxelCount);
    this.predictedSlices = new Uint8Array(sliceCount);
    this.nonEmptySlices = new Uint8Array(sliceCount);
  }

  get hasAnySlice(): boolean {
    return this.predictedSlices.includes(1);
  }

  /** Whether any voxel is non-zero. */
  get hasPrediction(): boolean {
    return this.nonEmptySlices.includes(1);
  }

  /** Sets the whole volume, or with `slices` those k slices in order; returns the sorted slices set (empty: all). */
  set(values: Uint8Array, slices?: readonly number[]): number[] {
    const plane = this.plane;
    if (slices === undefined) {
      if (values.length !== this.values.length) throw new RangeError(`A prediction of ${values.length} voxels does not fit the ${this.values.length}-voxel volume.`);
      this.values.set(values);
      this.predictedSlices.fill(1);
      for (let k = 0; k < this.sliceCount; k++) this.nonEmptySlices[k] = anyNonZero(values.subarray(k * plane, (k + 1) * plane));
      return [];
    }
    if (values.length !== slices.length * plane) throw new RangeError(`${slices.length} predicted slices need ${slices.length * plane} values, not ${values.length}.`);
    for (const k of slices) {
      if (!Number.isInteger(k) || k < 0 || k >= this.sliceCount) throw new RangeError(`Predicted slice ${k} is outside the volume.`);
    }
    slices.forEach((k, n) => {
      const slice = values.subarray(n * plane, (n + 1) * plane);
      this.values.set(slice, k * plane);
      this.predictedSlices[k] = 1;
      this.nonEmptySlices[k] = anyNonZero(slice);
    });
    return [...new Set(slices)].sort((a, b) => a - b);
  }

  clear(): void {
    this.values.fill(0);
    this.predictedSlices.fill(0);
    this.nonEmptySlices.fill(0);
  }

  /** Takes over another layer's content (same grid), e.g. after a reload. */
  copyFrom(other: PredictionLayer): void {
    if (other.values.length !== this.values.length) return;
    this.values.set(other.values);
    this.predictedSlices.set(other.predictedSlices);
    this.nonEmptySlices.set(other.nonEmptySlices);
  }
}

function anyNonZero(values: Uint8Array): 0 | 1 {
  for (let v = 0; v < values.length; v++) if (values[v] !== 0) return 1;
  return 0;
}
