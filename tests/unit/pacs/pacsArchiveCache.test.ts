/**
 * The PACS archive's pixel cache on its own: it stays within its limit by
 * removing the least recently used files, never those of the series being
 * loaded; "used" survives reopening (file times); a crash's temp files are
 * cleared; a limit of 0 is refused.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPacsArchiveCache, pacsArchiveCacheDir } from '../../../src-main/pacs/pacsArchiveCache';
import { tempFolder } from '../trainer/jobs/jobFixtures';

const temp = tempFolder('pacs-cache');
afterAll(() => temp.cleanup());

const bytes = (n: number): Uint8Array => new Uint8Array(n).fill(7);

describe('PACS archive cache', () => {
  it('removes the least recently used files to fit, never those of the series being loaded', async () => {
    const workspaceDir = path.join(temp.dir, 'lru');
    const cache = await openPacsArchiveCache(workspaceDir, 100);
    const file = (series: string, sop: string): string => cache.instancePath({ study: '1.1', series, sop });
    const s1 = path.dirname(file('2.1', '3.1'));
    const s2 = path.dirname(file('2.2', '3.1'));
    await cache.write(file('2.1', '3.1'), bytes(40), s1);
    await cache.write(file('2.1', '3.2'), bytes(40), s1);
    await cache.touch([file('2.1', '3.1')]);
    await cache.write(file('2.2', '3.1'), bytes(40), s2);
    // 3.2 was used least recently: it goes; 3.1 (touched) stays.
    expect([existsSync(file('2.1', '3.1')), existsSync(file('2.1', '3.2')), existsSync(file('2.2', '3.1'))]).toEqual([true, false, true]);
    expect(cache.bytes()).toBe(80);

    // Loading series 2.2: its own files are kept even when they are the oldest.
    await cache.write(file('2.2', '3.2'), bytes(40), s2);
    await cache.write(file('2.2', '3.3'), bytes(40), s2);
    expect(existsSync(file('2.1', '3.1'))).toBe(false);
    expect(cache.files()).toBe(3);
    expect(cache.bytes()).toBe(120);
    // Once loaded, the cache is brought back within its limit.
    await cache.trim();
    expect(cache.bytes()).toBeLessThanOrEqual(100);
    expect(existsSync(file('2.2', '3.3'))).toBe(true);
  });

  it('keeps the use order across reopening, and clears a crashed write', async () => {
    const workspaceDir = path.join(temp.dir, 'reopen');
    const dir = path.join(pacsArchiveCacheDir(workspaceDir), '1.1', '2.1');
    mkdirSync(dir, { recursive: true });
    const old = path.join(dir, '3.1.dcm');
    const recent = path.join(dir, '3.2.dcm');
    const torn = path.join(dir, '.3.3.dcm.123.abc.tmp');
    for (const name of [old, recent, torn]) writeFileSync(name, bytes(40));
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(old, hourAgo, hourAgo - 60);
    utimesSync(recent, hourAgo, hourAgo);
    utimesSync(torn, hourAgo, hourAgo);
    const cache = await openPacsArchiveCache(workspaceDir, 100);
    expect(existsSync(torn)).toBe(false);
    expect(cache.bytes()).toBe(80);
    await cache.write(cache.instancePath({ study: '1.1', series: '2.2', sop: '3.1' }), bytes(40), path.join(pacsArchiveCacheDir(workspaceDir), '1.1', '2.2'));
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
  });

  it('refuses a limit of 0 and a UID that is not one', async () => {
    await expect(openPacsArchiveCache(path.join(temp.dir, 'zero'), 0)).rejects.toThrow('The PACS archive cache needs a size limit above 0 bytes (got 0).');
    const cache = await openPacsArchiveCache(path.join(temp.dir, 'uid'), 100);
    expect(() => cache.instancePath({ study: '1.1', series: '../2', sop: '3' })).toThrow('Series Instance UID "../2" is not a DICOM UID.');
  });
});
