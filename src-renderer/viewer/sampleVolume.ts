/**
 * A bounded sample of a volume's voxel values, for the histogram window.
 * Reads each decoded slice's own pixel array in place (the volume is made of
 * the cached slice images), striding so that a 512x512x600 CT costs the same
 * few hundred thousand reads as a small MR.
 */
import { cache, type Types } from '@cornerstonejs/core';

/** Voxels read at most. */
export const maxSamples = 262_144;

/** Up to {@link maxSamples} voxel values spread evenly over the decoded slices of `volume`. */
export function sampleVolume(volume: Types.IImageVolume): Float32Array {
  const [columns, rows, slices] = volume.dimensions;
  const total = columns * rows * slices;
  const stride = Math.max(1, Math.floor(total / maxSamples));
  const samples: number[] = [];
  volume.imageIds.forEach((imageId, slice) => {
    const pixels = cache.getImage(imageId)?.getPixelData();
    if (pixels === undefined) return;
    // Offset the stride per slice so columns line up differently on every slice.
    for (let i = (slice * 7919) % stride; i < pixels.length; i += stride) samples.push(pixels[i] ?? Number.NaN);
  });
  return Float32Array.from(samples);
}
