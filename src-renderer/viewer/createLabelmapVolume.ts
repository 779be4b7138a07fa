/**
 * A labelmap volume in cornerstone's cache whose slice images are views into
 * one of our own layer arrays (no copy). Cornerstone's derived labelmaps
 * allocate their own buffers; a 512x512x300 series would then hold every
 * label layer twice (78.6 MB each). Here the label model's array is the
 * labelmap: after it changes, the changed slices only need re-uploading to
 * the GPU (triggerSegmentationDataModified with their indices).
 */
import { cache, imageLoader, ImageVolume, metaData, type Types } from '@cornerstonejs/core';

/** A labelmap volume sharing memory with a layer array. */
export interface SharedLabelmapVolume {
  readonly volumeId: string;
  readonly imageIds: readonly string[];
  /** Removes the volume and its slice images from the cache (the array stays with its owner). */
  release(): void;
}

interface ImagePlane {
  readonly rows: number;
  readonly columns: number;
  readonly rowPixelSpacing: number;
  readonly columnPixelSpacing: number;
  readonly imagePositionPatient: Types.Point3;
  readonly imageOrientationPatient: number[];
  readonly frameOfReferenceUID: string;
}

/**
 * Creates `volumeId` over `reference` (the series volume) with `voxels` as
 * its data, in the reference's sorted slice order. Throws when the array
 * does not fit the grid.
 */
export function createSharedLabelmapVolume(reference: Types.IImageVolume, volumeId: string, voxels: Uint8Array): SharedLabelmapVolume {
  const [nx, ny, nz] = reference.dimensions;
  const sliceLength = nx * ny;
  if (voxels.length !== sliceLength * nz) {
    throw new Error(`The label layer holds ${voxels.length} voxels, but the series grid ${nx}x${ny}x${nz} needs ${sliceLength * nz}.`);
  }
  const referencedImageIds = reference.imageIds;
  if (referencedImageIds.length !== nz) throw new Error(`The series volume has ${referencedImageIds.length} slice images for ${nz} slices.`);
  const imageIds: string[] = [];
  const release = (): void => {
    if (cache.getVolume(volumeId) !== undefined) cache.removeVolumeLoadObject(volumeId);
    for (const imageId of imageIds) {
      if (cache.getImageLoadObject(imageId) !== undefined) cache.removeImageLoadObject(imageId, { force: true });
    }
  };
  try {
    referencedImageIds.forEach((referencedImageId, k) => {
      const plane = metaData.get('imagePlaneModule', referencedImageId) as ImagePlane | undefined;
      if (plane === undefined) throw new Error(`Slice ${k + 1} of the series has no geometry in the viewer.`);
      const imageId = `${volumeId}:${k}`;
      imageLoader.createAndCacheLocalImage(imageId, {
        scalarData: voxels.subarray(k * sliceLength, (k + 1) * sliceLength),
        targetBuffer: { type: 'Uint8Array' },
        dimensions: [nx, ny],
        spacing: [plane.columnPixelSpacing, plane.rowPixelSpacing],
        origin: plane.imagePositionPatient,
        // Cornerstone's own derived images pass the 6 direction cosines here too (it reads row and column from them).
        direction: plane.imageOrientationPatient as unknown as Types.Mat3,
        frameOfReferenceUID: plane.frameOfReferenceUID,
        referencedImageId,
      });
      imageIds.push(imageId);
    });
    const volume = new ImageVolume({
      volumeId,
      dataType: 'Uint8Array',
      metadata: structuredClone(reference.metadata),
      dimensions: [nx, ny, nz],
      spacing: reference.spacing,
      origin: reference.origin,
      direction: reference.direction,
      referencedVolumeId: reference.volumeId,
      imageIds: [...imageIds],
      referencedImageIds: [...referencedImageIds],
    });
    cache.putVolumeSync(volumeId, volume);
  } catch (error) {
    release();
    throw error;
  }
  return { volumeId, imageIds, release };
}
