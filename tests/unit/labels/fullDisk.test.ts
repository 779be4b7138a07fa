/**
 * A full disk, simulated by an injected file system that fails writes with
 * ENOSPC after writing part of the data (as a real full disk does): the user
 * is told which file and why, the work stays in memory, the file on disk
 * keeps its previous version, and the save succeeds once there is room.
 *
 * A real small file system (a tiny tmpfs or loop mount) needs root, which the
 * test machines do not give; the injected failure exercises the same code
 * path, from the atomic writer up to the status the user sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labelFilePath } from '../../../src-main/labels/labelPaths';
import { createLabelService, type LabelService } from '../../../src-main/labels/labelService';
import { describeCause, isDiskFull, saveFailureMessage } from '../../../src-main/labels/saveFailure';
import type { LabelSaveStatus } from '../../../src-main/shared/contract/labels';
import { nodeAtomicWriteFs, type AtomicWriteFs } from '../../../src-main/workspace/atomicWrite';
import { change, imageSeriesId, segment, seriesSource, tempWorkspace } from './labelFixtures';

/** The real file system, except that while `full` every file write stops part-way with ENOSPC. */
function diskThatFills(): AtomicWriteFs & { full: boolean; failedWrites: number } {
  const fs = {
    ...nodeAtomicWriteFs,
    full: false,
    failedWrites: 0,
    async open(file: string, flags: string, mode?: number) {
      const handle = await nodeAtomicWriteFs.open(file, flags, mode);
      if (flags === 'r') return handle;
      return {
        async writeFile(data: Uint8Array | string) {
          if (fs.full) {
            fs.failedWrites++;
            await handle.writeFile(typeof data === 'string' ? data.slice(0, 10) : data.subarray(0, 10));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
          }
          await handle.writeFile(data);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
  return fs;
}

let workspace: ReturnType<typeof tempWorkspace>;
let stores: LabelService[] = [];
beforeEach(() => {
  workspace = tempWorkspace('full-disk');
});
afterEach(async () => {
  await Promise.all(stores.map((store) => store.close()));
  stores = [];
  workspace.cleanup();
});

describe('labels on a full disk', () => {
  it('reports the file and "disk is full", keeps the work, leaves the old file intact, and saves once space is back', async () => {
    const disk = diskThatFills();
    const store = createLabelService({ workspaceDir: workspace.dir, series: seriesSource(), fs: disk, timing: { debounceMs: 20, maxDelayMs: 50, retryMs: 100 } });
    stores.push(store);
    const statuses: LabelSaveStatus[] = [];
    await store.onStatus(imageSeriesId, (status) => statuses.push(status));
    await store.apply(imageSeriesId, { baseRevision: 0, changes: [change('strokes', [[0, 1]])], segments: [segment(1)] });
    expect(await store.flush(imageSeriesId)).toMatchObject({ state: 'saved', savedRevision: 1 });
    const file = labelFilePath(workspace.dir, imageSeriesId);
    const savedBytes = readFileSync(file);

    disk.full = true;
    await store.apply(imageSeriesId, { baseRevision: 1, changes: [change('strokes', [[1, 1], [2, 1]])] });
    const failed = await store.flush(imageSeriesId);
    expect(failed).toMatchObject({ state: 'failed', revision: 2, savedRevision: 1 });
    expect(failed.message).toContain(file);
    expect(failed.message).toMatch(/the disk is full \(ENOSPC\).*kept in memory.*retried/);
    // Nothing on disk changed: the same bytes, and no temp file left behind.
    expect(readFileSync(file)).toEqual(savedBytes);
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
    // The previous version still loads, unchanged, in a store of its own.
    const reader = createLabelService({ workspaceDir: workspace.dir, series: seriesSource() });
    stores.push(reader);
    expect(await reader.load(imageSeriesId)).toMatchObject({ revision: 1 });
    // The work is kept in memory, and more edits are accepted.
    await store.apply(imageSeriesId, { baseRevision: 2, changes: [change('accepted', [[9, 1]])] });
    const memory = await store.load(imageSeriesId);
    expect(memory.revision).toBe(3);
    // Retries keep failing while the disk is full ...
    const failuresBefore = disk.failedWrites;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(disk.failedWrites).toBeGreaterThan(failuresBefore);
    expect(await store.status(imageSeriesId)).toMatchObject({ state: 'failed' });

    // ... and the next retry saves once there is room again.
    const recovered = new Promise<LabelSaveStatus>((resolve) => {
      void store.onStatus(imageSeriesId, (status) => {
        if (status.state === 'saved') resolve(status);
      });
    });
    disk.full = false;
    expect(await recovered).toMatchObject({ state: 'saved', revision: 3, savedRevision: 3, message: null });
    expect(statuses.map((status) => status.state)).toEqual(expect.arrayContaining(['saved', 'pending', 'failed']));
    const fresh = createLabelService({ workspaceDir: workspace.dir, series: seriesSource() });
    stores.push(fresh);
    expect(await fresh.load(imageSeriesId)).toEqual(memory);
  });
});

describe('save failure messages', () => {
  const wrapped = (code: string, message: string): Error => new Error(`Could not write /w/labels/x.macl-labels: ${message}`, { cause: Object.assign(new Error(message), { code }) });

  it('names the cause in words, from the errno along the cause chain', () => {
    expect(describeCause(wrapped('ENOSPC', 'ENOSPC: no space left on device'))).toBe('the disk is full (ENOSPC)');
    expect(describeCause(wrapped('EROFS', 'EROFS: read-only file system'))).toBe('the disk is read-only (EROFS)');
    expect(describeCause(wrapped('EACCES', 'EACCES: permission denied'))).toBe('permission was denied (EACCES)');
    expect(describeCause(wrapped('EIO', 'EIO: i/o error'))).toBe('the disk reported an input/output error (EIO)');
    expect(describeCause(new Error('outer', { cause: new Error('something odd') }))).toBe('something odd');
    expect(isDiskFull(wrapped('ENOSPC', 'x'))).toBe(true);
    expect(isDiskFull(wrapped('EROFS', 'x'))).toBe(true);
    expect(isDiskFull(wrapped('EACCES', 'x'))).toBe(false);
  });

  it('tells where, why, and that the work is safe', () => {
    expect(saveFailureMessage('/w/labels/x.macl-labels', wrapped('ENOSPC', 'x'), 5000)).toBe(
      'Could not save the labels to /w/labels/x.macl-labels: the disk is full (ENOSPC). Your work is kept in memory and saving is retried every 5 s and after your next edit; the last saved version on disk is intact.',
    );
  });
});
