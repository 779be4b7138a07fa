/**
 * Keeps pixel data in memory once. The metadata module holds each fetched
 * file parsed, pixel data included, so the loader can decode from it; once
 * every slice (frame) of a file is decoded into the volume's images, those
 * encoded bytes are dead weight as large as the volume itself, and are
 * dropped from the parsed file. The headers stay: tools and overlays read them.
 *
 * One file keeps its pixels: the middle slice's. When a series has no
 * window in its headers, cornerstone decodes that slice again (bypassing its
 * cache) each time a viewport is given the volume, to take a default window
 * from its range: after 1x1 -> 1x3 the returning viewports would stay black.
 */
import { Enums, eventTarget, metaData, type Types } from '@cornerstonejs/core';
import { Enums as MetadataEnums } from '@cornerstonejs/metadata';
import type { SeriesFile } from './imageIds';
import { listen } from './listen';
import type { Unsubscribe } from './viewerApi';

/** Naturalized attributes that hold pixel data. */
const pixelDataKeys = ['PixelData', 'FloatPixelData', 'DoubleFloatPixelData'] as const;

/** Drops the encoded pixels of a parsed file. */
function dropFrom(baseImageId: string): void {
  const parsed: unknown = metaData.get(MetadataEnums.MetadataModules.NATURALIZED, baseImageId);
  if (typeof parsed !== 'object' || parsed === null) return;
  const record = parsed as Record<string, unknown>;
  for (const key of pixelDataKeys) delete record[key];
}

/** The image cornerstone re-decodes for a default window (setDefaultVolumeVOI: the middle one). */
export function middleImageId(imageIds: readonly string[]): string | undefined {
  return imageIds[Math.floor(imageIds.length / 2)];
}

/** Watches decoding of `files`' images and drops each file's encoded pixels once all its images are decoded, except the middle slice's file. */
export function dropEncodedPixelsWhenDecoded(files: readonly SeriesFile[], imageIds: readonly string[]): Unsubscribe {
  const keep = middleImageId(imageIds);
  const waiting = new Map<string, { readonly file: SeriesFile; readonly pending: Set<string> }>();
  for (const file of files) {
    if (keep !== undefined && file.imageIds.includes(keep)) continue;
    const entry = { file, pending: new Set(file.imageIds) };
    for (const imageId of file.imageIds) waiting.set(imageId, entry);
  }
  return listen<{ image: Types.IImage }>(eventTarget, Enums.Events.IMAGE_LOADED, ({ image }) => {
    const entry = waiting.get(image.imageId);
    if (entry === undefined) return;
    waiting.delete(image.imageId);
    entry.pending.delete(image.imageId);
    if (entry.pending.size === 0) dropFrom(entry.file.baseImageId);
  });
}
