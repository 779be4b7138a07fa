/**
 * Benchmark: header-scan rate of the archive scanner on a synthetic archive
 * of small DICOM files (default 10,000: 100 series of 100 slices of 16x16,
 * spread over nested folders). Target: >= 2,000 files/s on a 2-core machine.
 * Creates everything in a temp folder and removes it afterwards.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanArchive } from '../importing/archiveScanner';
import { writeSyntheticDicom } from './syntheticDicom';

export interface HeaderScanBenchOptions {
  /** Number of files (default 10,000). */
  readonly files?: number;
  readonly slicesPerSeries?: number;
  /** Where to make the temp folder (default the OS temp dir). */
  readonly tempDir?: string;
  readonly log?: (line: string) => void;
}

export interface HeaderScanBenchResult {
  readonly benchmark: 'header-scan';
  readonly files: number;
  readonly series: number;
  readonly writeSeconds: number;
  /** First scan: every header read. */
  readonly scanSeconds: number;
  readonly filesPerSecond: number;
  /** Second scan of the same tree: everything unchanged, skipped from the index. */
  readonly resumeSeconds: number;
  readonly resumeFilesPerSecond: number;
  readonly targetFilesPerSecond: number;
  readonly cpus: number;
}

/** Writes `count` files of `perSeries`-slice series under `root`. */
export async function writeSyntheticArchive(root: string, count: number, perSeries: number): Promise<number> {
  const pixels = new Int16Array(16 * 16).map((_, i) => (i % 17) * 10 - 50);
  let written = 0;
  const seriesCount = Math.ceil(count / perSeries);
  for (let s = 0; s < seriesCount; s++) {
    const dir = path.join(root, `patient${String(Math.floor(s / 10)).padStart(3, '0')}`, `series${String(s).padStart(4, '0')}`);
    await fsp.mkdir(dir, { recursive: true });
    const writes: Promise<void>[] = [];
    for (let k = 0; k < perSeries && written < count; k++, written++) {
      const bytes = writeSyntheticDicom({
        studyInstanceUid: `1.2.826.0.1.3680043.10.1234.${Math.floor(s / 10) + 1}`,
        seriesInstanceUid: `1.2.826.0.1.3680043.10.1234.${Math.floor(s / 10) + 1}.${s + 1}`,
        sopInstanceUid: `1.2.826.0.1.3680043.10.1234.${Math.floor(s / 10) + 1}.${s + 1}.${k + 1}`,
        seriesNumber: s + 1,
        instanceNumber: k + 1,
        rows: 16,
        columns: 16,
        position: [-4, -4, k * 2.5],
        orientation: [[1, 0, 0], [0, 1, 0]],
        pixelSpacing: [0.5, 0.5],
        sliceThickness: 2.5,
        rescaleIntercept: -1024,
        rescaleSlope: 1,
        pixels,
      });
      // Shuffled names: the scanner must sort by position, never by name.
      writes.push(fsp.writeFile(path.join(dir, `img${String((k * 7919) % perSeries).padStart(5, '0')}-${k}.dcm`), bytes));
    }
    await Promise.all(writes);
  }
  return written;
}

/** Runs the benchmark and returns its figures (also logged line by line). */
export async function runHeaderScanBench(options: HeaderScanBenchOptions = {}): Promise<HeaderScanBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const count = options.files ?? 10_000;
  const perSeries = options.slicesPerSeries ?? 100;
  const base = await fsp.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'macl-header-bench-'));
  try {
    const archive = path.join(base, 'archive');
    const workspace = path.join(base, 'workspace');
    let t = performance.now();
    const files = await writeSyntheticArchive(archive, count, perSeries);
    const writeSeconds = (performance.now() - t) / 1000;
    log(`header-scan: wrote ${files} synthetic DICOM files in ${writeSeconds.toFixed(1)} s`);
    t = performance.now();
    const first = await scanArchive({ root: archive, workspaceDir: workspace });
    const scanSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const second = await scanArchive({ root: archive, workspaceDir: workspace });
    const resumeSeconds = (performance.now() - t) / 1000;
    const result: HeaderScanBenchResult = {
      benchmark: 'header-scan',
      files,
      series: first.series.length,
      writeSeconds,
      scanSeconds,
      filesPerSecond: files / scanSeconds,
      resumeSeconds,
      resumeFilesPerSecond: files / resumeSeconds,
      targetFilesPerSecond: 2000,
      cpus: os.cpus().length,
    };
    log(`header-scan: ${files} files, ${first.series.length} series in ${scanSeconds.toFixed(2)} s = ${result.filesPerSecond.toFixed(0)} files/s (target >= 2000 on 2 cores; this machine: ${result.cpus} cores)`);
    log(`header-scan: rescan with the index (${second.filesUnchanged} unchanged files skipped) in ${resumeSeconds.toFixed(2)} s = ${result.resumeFilesPerSecond.toFixed(0)} files/s`);
    return result;
  } finally {
    await fsp.rm(base, { recursive: true, force: true });
  }
}
