/**
 * Whole volumes for the trainer: every sorted slice of an indexed series
 * decoded and rescaled (HU for CT) into one Float32Array in geometry order,
 * voxel (x, y, z) at x + y·nx + z·nx·ny, z in sorted order along the normal
 * (the same layout the viewer's labelmaps use).
 */
import path from 'node:path';
import type { SeriesGeometry } from '../shared/contract/series';
import type { IndexedSeries } from '../workspace/seriesIndex';
import { throwIfCancelled, type CancelLike } from '../shared/cancellation';
import { niftiVoxels, readNifti } from '../nifti/niftiVolume';
import { decodeFrame, openPixelSource, rescaleOf, toRescaledFloat32, type PixelSource } from '../dicom/pixels/pixelDecode';

export interface LoadedVolume {
  readonly seriesId: string;
  readonly source: 'dicom' | 'nifti';
  readonly modality: string;
  readonly geometry: SeriesGeometry;
  /** Rescaled values (modality units: HU for CT), x fastest. */
  readonly voxels: Float32Array;
}

/** Decodes the whole series `entry` (an image series of the index). */
export async function loadIndexedVolume(entry: IndexedSeries, signal?: CancelLike): Promise<LoadedVolume> {
  const { summary } = entry;
  const geometry = summary.geometry;
  if (summary.kind !== 'image' || geometry === null) throw new Error(`Series ${summary.seriesId} is a ${summary.kind} object, not an image volume`);
  const base = { seriesId: summary.seriesId, source: summary.source, modality: summary.modality, geometry };
  if (summary.source === 'nifti') {
    const file = entry.slices[0]?.path;
    if (file === undefined) throw new Error(`Series ${summary.seriesId} has no file`);
    return { ...base, voxels: niftiVoxels(await readNifti(file)) };
  }
  const [nx, ny, nz] = geometry.dimensions;
  if (entry.slices.length !== nz) throw new Error(`Series ${summary.seriesId}: ${entry.slices.length} slices indexed, geometry says ${nz}`);
  const voxels = new Float32Array(nx * ny * nz);
  // Multi-frame files supply many slices: keep the last few opened.
  const open = new Map<string, PixelSource>();
  for (const [z, slice] of entry.slices.entries()) {
    throwIfCancelled(signal, 'Loading the volume');
    let source = open.get(slice.path);
    if (source === undefined) {
      if (open.size >= 4) open.clear();
      source = await openPixelSource(slice.path);
      open.set(slice.path, source);
    }
    const frame = slice.frame ?? 0;
    const decoded = await decodeFrame(source, frame);
    if (decoded.columns !== nx || decoded.rows !== ny) {
      throw new Error(`${path.basename(slice.path)}: slice ${z + 1} is ${decoded.columns}x${decoded.rows}, the series is ${nx}x${ny} (the file changed since import?)`);
    }
    const { slope, intercept } = rescaleOf(source, frame);
    toRescaledFloat32(decoded, slope, intercept, voxels, z * nx * ny);
  }
  return { ...base, voxels };
}
