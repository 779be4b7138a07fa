/**
 * The volumes a pre-training draws slices from. The archive is scanned with
 * the archive scanner (reusing and completing the workspace's scan index, so
 * a scanned archive is not read again), its image series are ordered by a
 * seeded shuffle, and a pool of at most `capacity` volumes is kept in memory,
 * normalised and resampled in-plane to the training size. rotate() swaps the
 * oldest volume for the next series, so a large archive is covered over the
 * run without holding it all.
 */
import { niftiArchiveSeries } from '../../importing/archiveNifti';
import { scanArchive, type ArchiveScanProgress } from '../../importing/archiveScanner';
import type { ArchiveSeries } from '../../importing/archiveSeries';
import { CancelledError, type CancelLike } from '../../shared/cancellation';
import { loadIndexedVolume } from '../../importing/volumeLoader';
import { createRng } from '../../ml/random';
import type { Volume } from '../../ml/volume';
import { seriesIdSchema } from '../../shared/contract/series';
import type { IndexedSeries } from '../../workspace/seriesIndex';
import { isCancelled } from '../../shared/cancellation';
import path from 'node:path';
import { modelVolumeOf, resizeVolumeInPlane } from './resizeVolume';

/** Image series of the archive that can be pre-trained on, and why others were left out. */
export interface ArchiveSelection {
  readonly root: string;
  /** DICOM series first, then NIfTI files. */
  readonly usable: ArchiveSeries[];
  /** One line per series or file not used: what it is and why. */
  readonly skipped: string[];
}

/**
 * Scans (or resumes the scan of) `archive` and keeps image series with
 * geometry and at least `minSlices` slices: DICOM series, and NIfTI files
 * (.nii, .nii.gz) beside them. Every other file is listed with the reason.
 */
export async function selectArchiveSeries(
  archive: string,
  workspaceDir: string,
  minSlices: number,
  signal: CancelLike | undefined,
  onProgress: (progress: ArchiveScanProgress) => void,
): Promise<ArchiveSelection> {
  const scan = await scanArchive({ root: archive, workspaceDir, onProgress, ...(signal === undefined ? {} : { signal }) });
  if (scan.cancelled) throw new CancelledError('Scanning the archive');
  const nifti = await niftiArchiveSeries(scan.root, scan.nonDicomPaths, signal);
  if (isCancelled(signal)) throw new CancelledError('Reading the archive\'s NIfTI files');
  const usable: ArchiveSeries[] = [];
  const skipped: string[] = [...scan.unreadable.map((file) => `${path.relative(scan.root, file.path)}: ${file.reason}`), ...nifti.leftOut];
  const found = [...scan.series, ...nifti.series];
  for (const series of found) {
    const name = series.source === 'nifti' ? series.description : series.seriesId;
    if (series.kind !== 'image') skipped.push(`${name}: a ${series.kind} object`);
    else if (series.geometry === null) skipped.push(`${name}: no slice geometry`);
    else if (series.sliceCount < minSlices) skipped.push(`${name}: ${series.sliceCount} slices (fewer than ${minSlices})`);
    else usable.push(series);
  }
  if (usable.length === 0) {
    const why = found.length === 0 ? `no DICOM series or NIfTI volume found (${scan.filesTotal} files, ${scan.unreadable.length} unreadable)` : `none of its ${found.length} series is usable (${skipped.slice(0, 3).join('; ')})`;
    throw new Error(`The archive ${scan.root} has nothing to pre-train on: ${why}.`);
  }
  return { root: scan.root, usable, skipped };
}

/** The index entry the volume loader expects, for an archive series. */
export function indexedSeriesOf(series: ArchiveSeries): IndexedSeries {
  return {
    summary: {
      seriesId: seriesIdSchema.parse(series.seriesId),
      source: series.source,
      kind: series.kind,
      patientName: '',
      patientId: '',
      studyDate: '',
      studyInstanceUid: series.studyInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      seriesNumber: null,
      modality: series.modality,
      description: series.description,
      sliceCount: series.sliceCount,
      rows: series.rows,
      columns: series.columns,
      geometry: series.geometry,
      problems: series.problems,
      thumbnail: null,
    },
    // A NIfTI file is one entry, as the import indexes it (the loader reads the whole file).
    slices: series.source === 'nifti' ? series.slices.slice(0, 1).map(({ path: file }) => ({ path: file, frame: null, positionMm: null })) : series.slices.map(({ path: file, frame, positionMm }) => ({ path: file, frame, positionMm })),
    importedAt: '',
  };
}

/** A series in the pool. */
export interface PooledVolume {
  readonly series: ArchiveSeries;
  readonly volume: Volume;
}

export interface ArchivePool {
  /** The volumes held now (at least one). */
  readonly volumes: readonly PooledVolume[];
  /** Every series that has been in the pool so far. */
  readonly used: readonly ArchiveSeries[];
  /** Replaces the oldest volume with the next series; false when every series already fits. */
  rotate(): Promise<boolean>;
}

export interface ArchivePoolOptions {
  readonly size: number;
  readonly capacity: number;
  readonly seed: number;
  readonly signal?: CancelLike;
  readonly onLoad?: (done: number, total: number, message: string) => void;
  readonly onSkip?: (message: string) => void;
}

/** Loads the first volumes of `series` (shuffled by `seed`) into a pool; see the module comment. */
export async function openArchivePool(series: readonly ArchiveSeries[], options: ArchivePoolOptions): Promise<ArchivePool> {
  const rng = createRng(options.seed);
  const order = [...series];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as ArchiveSeries, order[i] as ArchiveSeries];
  }
  let next = 0;
  const volumes: PooledVolume[] = [];
  const used: ArchiveSeries[] = [];

  /** Loads the next series that loads; null when none is left. */
  async function loadNext(): Promise<PooledVolume | null> {
    while (next < order.length) {
      if (isCancelled(options.signal)) throw new CancelledError('Loading the archive volumes');
      const candidate = order[next++] as ArchiveSeries;
      try {
        const loaded = await loadIndexedVolume(indexedSeriesOf(candidate), options.signal);
        const volume = await resizeVolumeInPlane(modelVolumeOf(loaded), options.size);
        if (!used.includes(candidate)) used.push(candidate);
        return { series: candidate, volume };
      } catch (thrown) {
        if (thrown instanceof CancelledError) throw thrown;
        options.onSkip?.(`Skipped series ${candidate.seriesId}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      }
    }
    return null;
  }

  const target = Math.min(options.capacity, order.length);
  while (volumes.length < target) {
    const loaded = await loadNext();
    if (loaded === null) break;
    volumes.push(loaded);
    options.onLoad?.(volumes.length, target, `loaded ${loaded.series.source === 'nifti' ? loaded.series.description : loaded.series.seriesId} (${loaded.volume.depth} slices)`);
  }
  if (volumes.length === 0) throw new Error(`None of the ${order.length} archive series could be loaded.`);

  return {
    volumes,
    used,
    async rotate() {
      if (order.length <= options.capacity) return false;
      if (next >= order.length) next = 0;
      const loaded = await loadNext();
      if (loaded === null) return false;
      volumes.shift();
      volumes.push(loaded);
      return true;
    },
  };
}
