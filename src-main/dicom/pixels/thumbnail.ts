/**
 * Series-list thumbnails: one slice, windowed, shrunk to at most 128 px,
 * as a PNG data: URL. The window is the file's WindowCenter/Width when it is
 * sane (real files carry WindowWidth 0, or windows far from the data), else
 * the 1st-99th percentile of the slice.
 */
import { encodePngGray8 } from './pngEncoder';

export const thumbnailMaxSize = 128;

export interface Window {
  readonly center: number;
  readonly width: number;
}

/** The 1st and 99th percentiles of `values` (from a sample of at most 65536). */
export function percentiles(values: Float32Array): { low: number; high: number } {
  const stride = Math.max(1, Math.floor(values.length / 65536));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const value = values[i] ?? 0;
    if (Number.isFinite(value)) sample.push(value);
  }
  if (sample.length === 0) return { low: 0, high: 1 };
  sample.sort((a, b) => a - b);
  const at = (q: number): number => sample[Math.min(sample.length - 1, Math.floor(q * (sample.length - 1)))] ?? 0;
  return { low: at(0.01), high: at(0.99) };
}

/** The window to use: the file's when sane, else from the data. */
export function chooseWindow(values: Float32Array, fileWindow: Window | null): Window {
  const { low, high } = percentiles(values);
  if (fileWindow !== null && Number.isFinite(fileWindow.center) && fileWindow.width > 1) {
    const lo = fileWindow.center - fileWindow.width / 2;
    const hi = fileWindow.center + fileWindow.width / 2;
    // Sane: the window overlaps the bulk of the data.
    if (hi > low && lo < high) return fileWindow;
  }
  return high > low ? { center: (low + high) / 2, width: high - low } : { center: low, width: 1 };
}

/**
 * Windows and box-filters a slice to at most {@link thumbnailMaxSize} px;
 * returns a data: URL. `invert` for MONOCHROME1 (low values shown white).
 */
export function thumbnailDataUrl(values: Float32Array, width: number, height: number, fileWindow: Window | null, invert = false): string {
  const window = chooseWindow(values, fileWindow);
  const factor = Math.min(1, thumbnailMaxSize / Math.max(width, height));
  const tw = Math.max(1, Math.round(width * factor));
  const th = Math.max(1, Math.round(height * factor));
  const out = new Uint8Array(tw * th);
  const lo = window.center - window.width / 2;
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * height) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * height) / th));
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * width) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * width) / tw));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += values[y * width + x] ?? 0;
      const mean = sum / ((y1 - y0) * (x1 - x0));
      const grey = Math.max(0, Math.min(255, Math.round(((mean - lo) / window.width) * 255)));
      out[ty * tw + tx] = invert ? 255 - grey : grey;
    }
  }
  return `data:image/png;base64,${Buffer.from(encodePngGray8(tw, th, out)).toString('base64')}`;
}
