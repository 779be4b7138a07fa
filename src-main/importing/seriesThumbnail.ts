/**
 * The thumbnail of an assembled DICOM image series: its middle slice,
 * decoded, rescaled, windowed (the file's window when sane), inverted for
 * MONOCHROME1.
 */
import type { AssembledSeries } from '../dicom/series/assembleSeries';
import { decodeFrame, openPixelSource, rescaleOf, toRescaledFloat32 } from '../dicom/pixels/pixelDecode';
import { thumbnailDataUrl } from '../dicom/pixels/thumbnail';

/** The data: URL, or the reason it could not be made. */
export async function seriesThumbnail(series: AssembledSeries): Promise<{ url: string } | { problem: string }> {
  const middle = series.slices[Math.floor(series.slices.length / 2)];
  if (series.kind !== 'image' || middle === undefined) return { problem: 'no image to show' };
  try {
    const source = await openPixelSource(middle.path);
    const frame = middle.frame ?? 0;
    const decoded = await decodeFrame(source, frame);
    const { slope, intercept } = rescaleOf(source, frame);
    const values = toRescaledFloat32(decoded, slope, intercept);
    const header = source.header;
    const window = header.windowCenter !== null && header.windowWidth !== null ? { center: header.windowCenter, width: header.windowWidth } : null;
    return { url: thumbnailDataUrl(values, decoded.columns, decoded.rows, window, header.image?.photometric === 'MONOCHROME1') };
  } catch (thrown) {
    return { problem: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}
