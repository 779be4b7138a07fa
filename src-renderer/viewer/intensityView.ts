/**
 * The open volume's intensities as an ArrayLike over the label grid's flat
 * index, without copying the volume (a flat copy of a 512x512x300 CT would
 * cost 157-315 MB): element reads go to the viewer's sampler. A stroke reads
 * only the voxels under the brush, so the per-read cost does not matter.
 */

/** An ArrayLike of `length` whose element i is `sample(i)`. */
export function intensityView(sample: (flatIndex: number) => number, length: number): ArrayLike<number> {
  return new Proxy({ length } as ArrayLike<number>, {
    get(target, property, receiver) {
      if (typeof property === 'string') {
        const index = Number(property);
        if (Number.isInteger(index) && index >= 0 && index < length) return sample(index);
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
