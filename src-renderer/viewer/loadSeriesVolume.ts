/**
 * One series, one volume: fetches its files, creates a streaming image volume
 * in cornerstone's cache and starts decoding the slices into it (in the web
 * workers). Every viewport shows this same volume, and each file's encoded
 * bytes are dropped once decoded (dropEncodedPixels.ts), so the pixels are
 * held once. `release`
 * frees all of it again.
 */
import { cache, volumeLoader, type Types } from '@cornerstonejs/core';
import { Enums as MetadataEnums, utilities as metadataUtilities } from '@cornerstonejs/metadata';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { dropEncodedPixelsWhenDecoded } from './dropEncodedPixels';
import { fetchSeriesFiles } from './fetchSeriesFiles';
import { followDecoding, type DecodeCount } from './followDecoding';
import { seriesImageIds } from './imageIds';
import type { LoadProgress } from './viewerApi';

/** A series' volume in the cache. */
export interface SeriesVolume {
  readonly volumeId: string;
  readonly volume: Types.IImageVolume;
  /** Resolves when every slice is decoded or failed. */
  readonly decoded: Promise<DecodeCount>;
  /** Stops loading and removes the volume, its images and their metadata from the caches. */
  release(): void;
}

/** The streaming loader's scheme: cornerstone's default volume loader. */
const volumeScheme = 'cornerstoneStreamingImageVolume';

function forgetMetadata(ids: readonly string[]): void {
  for (const id of ids) metadataUtilities.clearTypedCacheData(MetadataEnums.MetadataModules.NATURALIZED, id);
}

function removeFromCache(volumeId: string, imageIds: readonly string[]): void {
  if (cache.getVolume(volumeId) !== undefined) cache.removeVolumeLoadObject(volumeId);
  for (const imageId of imageIds) {
    if (cache.getImageLoadObject(imageId) !== undefined) cache.removeImageLoadObject(imageId, { force: true });
  }
}

/**
 * Fetches and opens the series whose slices are at `imageUrls` (relative to
 * `base`); reports progress, and stops (rejecting) when `signal` aborts.
 */
export async function loadSeriesVolume(
  seriesId: SeriesId,
  imageUrls: readonly string[],
  base: string,
  onProgress: (progress: LoadProgress) => void,
  signal: AbortSignal,
): Promise<SeriesVolume> {
  if (imageUrls.length === 0) throw new Error('The series has no slices to show.');
  const { imageIds, files } = seriesImageIds(imageUrls, base);
  const metadataIds = [...files.map((file) => file.baseImageId), ...imageIds];
  const volumeId = `${volumeScheme}:${seriesId}`;
  const total = imageIds.length;
  const cleanups: Array<() => void> = [() => removeFromCache(volumeId, imageIds), () => forgetMetadata(metadataIds)];
  const release = (): void => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  };
  try {
    onProgress({ phase: 'fetching', done: 0, total: files.length, failed: 0 });
    await fetchSeriesFiles(files, (done) => onProgress({ phase: 'fetching', done, total: files.length, failed: 0 }), signal);
    removeFromCache(volumeId, imageIds);
    const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds: [...imageIds] });
    signal.throwIfAborted();
    onProgress({ phase: 'decoding', done: 0, total, failed: 0 });
    const decoding = followDecoding(imageIds, ({ done, failed }) => onProgress({ phase: done === total ? 'done' : 'decoding', done, total, failed }));
    const stopDropping = dropEncodedPixelsWhenDecoded(files, imageIds);
    cleanups.push(() => volume.cancelLoading(), decoding.stop, stopDropping);
    void decoding.finished.then(stopDropping);
    volume.load();
    return { volumeId, volume, decoded: decoding.finished, release };
  } catch (error) {
    release();
    throw error;
  }
}
