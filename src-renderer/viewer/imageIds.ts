/**
 * Turns the app's slice URLs into cornerstone image ids. The hosts give
 * relative URLs (`files/<seriesId>/<index>`, frames as `…?frame=N`); the
 * wadouri loader wants `wadouri:` + an absolute URL, and one multi-frame file
 * has several image ids but is fetched and registered once, under its id
 * without the frame parameter (the metadata module's base image id).
 */

/** One file to fetch, and the image ids (slices or frames) it provides. */
export interface SeriesFile {
  /** Absolute URL of the file. */
  readonly url: string;
  /** `wadouri:` + url: the id its metadata is registered under. */
  readonly baseImageId: string;
  /** The image ids (one per slice or frame) this file provides. */
  readonly imageIds: readonly string[];
}

/** Image ids in slice order, and the distinct files behind them in first-use order. */
export interface SeriesImageIds {
  readonly imageIds: readonly string[];
  readonly files: readonly SeriesFile[];
}

/** The scheme registered by the dicom-image-loader for files fetched over HTTP(S) or app://. */
export const wadouriScheme = 'wadouri:';

/** The URL without its `frame=N` query parameter. */
export function withoutFrame(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('frame');
  return parsed.toString();
}

/** Resolves `urls` against `base` (the page's own URL) into image ids and files. */
export function seriesImageIds(urls: readonly string[], base: string): SeriesImageIds {
  const imageIds: string[] = [];
  const files = new Map<string, { url: string; baseImageId: string; imageIds: string[] }>();
  for (const relative of urls) {
    const absolute = new URL(relative, base).toString();
    const imageId = wadouriScheme + absolute;
    imageIds.push(imageId);
    const fileUrl = withoutFrame(absolute);
    const file = files.get(fileUrl) ?? { url: fileUrl, baseImageId: wadouriScheme + fileUrl, imageIds: [] };
    file.imageIds.push(imageId);
    files.set(fileUrl, file);
  }
  return { imageIds, files: [...files.values()] };
}
