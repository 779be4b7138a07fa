/**
 * Archive scanning for pre-training: headers only, progress with rate and
 * ETA, cancellable, resumable from the workspace's index (unchanged files
 * are skipped), unreadable files listed, series with slice positions.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanArchive, type ArchiveScanProgress } from '../../../src-main/importing/archiveScanner';
import { writeSyntheticArchive } from '../../../src-main/eval/headerScanBench';
import { createCancelSource } from '../../../src-main/shared/rpc/cancelSignal';
import { tempDir } from '../dicom/helpers/testData';

const temp = tempDir('archive');
const archive = path.join(temp.dir, 'archive');
const workspace = path.join(temp.dir, 'ws');

beforeAll(async () => {
  await writeSyntheticArchive(archive, 600, 30); // 20 series of 30 slices
  writeFileSync(path.join(archive, 'README.txt'), 'not an image');
  const broken = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, 0xff, 0x7f])]);
  mkdirSync(path.join(archive, 'odd'), { recursive: true });
  writeFileSync(path.join(archive, 'odd', 'broken.dcm'), broken);
});
afterAll(() => temp.cleanup());

describe('archive scanner', () => {
  it('is cancelled part-way, then resumes without reading the files already done', async () => {
    const source = createCancelSource();
    let handled = 0;
    const first = await scanArchive({
      root: archive,
      workspaceDir: workspace,
      concurrency: 4,
      progressIntervalMs: 0,
      signal: source.signal,
      onProgress: (progress) => {
        handled = progress.filesDone;
        if (progress.phase === 'scanning' && progress.filesDone >= 200) source.cancel();
      },
    });
    expect(first.cancelled).toBe(true);
    expect(first.filesTotal).toBe(602);
    expect(first.filesRead).toBeGreaterThanOrEqual(200);
    expect(first.filesRead).toBeLessThan(602);
    expect(handled).toBeGreaterThanOrEqual(200);

    const progress: ArchiveScanProgress[] = [];
    const second = await scanArchive({ root: archive, workspaceDir: workspace, progressIntervalMs: 0, onProgress: (p) => progress.push(p) });
    expect(second.cancelled).toBe(false);
    expect(second.filesUnchanged).toBe(first.filesRead);
    expect(second.filesRead).toBe(602 - first.filesRead);
    expect(progress.map((p) => p.phase)).toContain('counting');
    const scanning = progress.filter((p) => p.phase === 'scanning' && p.filesDone > 0);
    expect(scanning.at(-1)).toMatchObject({ filesTotal: 602, filesDone: 602 });
    expect(scanning.some((p) => p.filesPerSecond > 0 && p.etaSeconds !== null)).toBe(true);

    expect(second.nonDicom).toBe(1);
    expect(second.unreadable).toEqual([{ path: path.join(archive, 'odd', 'broken.dcm'), reason: expect.stringMatching(/^broken\.dcm: not readable as DICOM/) }]);
    expect(second.series).toHaveLength(20);
    const series = second.series[0];
    expect(series?.sliceCount).toBe(30);
    expect(series?.slices.map((s) => s.relativePosition)).toEqual(Array.from({ length: 30 }, (_, k) => (k + 1) / 30));
    const positions = series?.slices.map((s) => s.positionMm ?? NaN) ?? [];
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(series?.problems).toEqual([]);

    // A third run reads nothing; a changed file is read again.
    const changed = series?.slices[0]?.path ?? '';
    appendFileSync(changed, Buffer.alloc(2));
    const third = await scanArchive({ root: archive, workspaceDir: workspace });
    expect(third.filesRead).toBe(1);
    expect(third.filesUnchanged).toBe(601);
  });

  it('accepts an AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    const ws = path.join(temp.dir, 'ws2');
    const cancelled = await scanArchive({ root: archive, workspaceDir: ws, signal: controller.signal });
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.filesRead).toBe(0);
  });
});
