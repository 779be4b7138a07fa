/**
 * The `files/<seriesId>/<index>` route both hosts serve to the viewer: the
 * DICOM bytes of one indexed slice, and nothing that is not in the workspace
 * index (the id and index are looked up, never used as a path).
 */
export const seriesFilePrefix = '/files/';

export interface SeriesFileRequest {
  readonly seriesId: string;
  readonly index: number;
}

/** Parses `/files/<url-encoded id>/<index>`; null for anything else. */
export function parseSeriesFilePath(urlPath: string): SeriesFileRequest | null {
  if (!urlPath.startsWith(seriesFilePrefix)) return null;
  const parts = urlPath.slice(seriesFilePrefix.length).split('/');
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined) return null;
  if (!/^\d{1,7}$/.test(parts[1])) return null;
  let seriesId: string;
  try {
    seriesId = decodeURIComponent(parts[0]);
  } catch {
    return null;
  }
  return seriesId.length === 0 ? null : { seriesId, index: Number(parts[1]) };
}

/** Finds the file behind a parsed request (the import service's resolveSeriesFile). */
export type ResolveSeriesFile = (seriesId: string, index: number) => { path: string } | null;
