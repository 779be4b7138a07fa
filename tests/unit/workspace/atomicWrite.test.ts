import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeAtomicWriteFs, writeFileAtomic, writeJsonAtomic, type AtomicWriteFs } from '../../../src-main/workspace/atomicWrite';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'macl-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** The real file system, except that one step fails. */
function failing(step: 'write' | 'sync' | 'rename'): AtomicWriteFs {
  return {
    ...nodeAtomicWriteFs,
    async open(file, flags, mode) {
      const handle = await nodeAtomicWriteFs.open(file, flags, mode);
      if (flags === 'r') return handle; // the folder fsync
      return {
        async writeFile(data) {
          if (step === 'write') {
            await handle.writeFile(typeof data === 'string' ? data.slice(0, 3) : data.subarray(0, 3)); // a partial write, then the disk is full
            throw enospc();
          }
          await handle.writeFile(data);
        },
        async sync() {
          if (step === 'sync') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
          await handle.sync();
        },
        close: () => handle.close(),
      };
    },
    async rename(from, to) {
      if (step === 'rename') throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      await nodeAtomicWriteFs.rename(from, to);
    },
  };
}

describe('atomic writes', () => {
  it('creates the folder and the file, and replaces an existing file whole', async () => {
    const file = path.join(dir, 'nested', 'index.json');
    await writeFileAtomic(file, 'first');
    expect(readFileSync(file, 'utf8')).toBe('first');
    await writeJsonAtomic(file, { a: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 1 });
    expect(readdirSync(path.dirname(file))).toEqual(['index.json']);
  });

  it.each(['write', 'sync', 'rename'] as const)('a failure at %s leaves the old file intact and no temp file behind', async (step) => {
    const file = path.join(dir, 'series-index.json');
    writeFileSync(file, 'the old, complete version');
    await expect(writeFileAtomic(file, 'a new version that will not land', { fs: failing(step) })).rejects.toThrow(/series-index\.json.*previous version, if any, is intact/);
    expect(readFileSync(file, 'utf8')).toBe('the old, complete version');
    expect(readdirSync(dir)).toEqual(['series-index.json']);
  });

  it('reports the cause of an ENOSPC failure', async () => {
    const file = path.join(dir, 'labels.json');
    await expect(writeFileAtomic(file, 'x'.repeat(100), { fs: failing('write') })).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps concurrent writers apart (each uses its own temp file)', async () => {
    const file = path.join(dir, 'race.txt');
    const versions = Array.from({ length: 20 }, (_, i) => `writer ${i} `.repeat(1000));
    await Promise.all(versions.map((text) => writeFileAtomic(file, text)));
    expect(versions).toContain(readFileSync(file, 'utf8')); // one whole version, never a mix
    expect(readdirSync(dir)).toEqual(['race.txt']);
  });
});
