/**
 * The on-disk cache of a PACS pre-training archive's pixels:
 * `<workspace>/pacs-archive-cache/<StudyUID>/<SeriesUID>/<SOPUID>.dcm`,
 * apart from the import store (pacs-store/), which it never touches. It is
 * bounded by a size the user sets: before a file is written, the least
 * recently used files are removed until it fits. "Used" is a file's mtime
 * (set when it is read for a volume), so the order survives between runs and
 * a later run reuses what is still there. Every file is written atomically,
 * so a file in the cache is always a whole instance.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../workspace/atomicWrite';
import { checkUid } from './pacsStoreFolder';

/** The cache folder of a workspace. */
export const pacsArchiveCacheDir = (workspaceDir: string): string => path.join(path.resolve(workspaceDir), 'pacs-archive-cache');

/** Where the cache is and where an instance goes, without reading it (listing an archive needs no more). */
export type PacsArchivePaths = Pick<PacsArchiveCache, 'dir' | 'instancePath'>;

export function pacsArchivePaths(workspaceDir: string): PacsArchivePaths {
  const dir = pacsArchiveCacheDir(workspaceDir);
  return {
    dir,
    instancePath: ({ study, series, sop }) => path.join(dir, checkUid(study, 'Study Instance UID'), checkUid(series, 'Series Instance UID'), `${checkUid(sop, 'SOP Instance UID')}.dcm`),
  };
}

/** Temp files of a write that a crash interrupted are removed when older than this. */
const staleTempMs = 10 * 60_000;

export interface PacsArchiveCache {
  readonly dir: string;
  readonly limitBytes: number;
  /** Bytes of the files in the cache now. */
  bytes(): number;
  files(): number;
  /** Where an instance lives in the cache (whether or not it is there). */
  instancePath(uids: { study: string; series: string; sop: string }): string;
  has(file: string): boolean;
  /** Marks files as used now (they are evicted last). */
  touch(files: readonly string[]): Promise<void>;
  /**
   * Writes one instance, first removing the least recently used files (never
   * those under `keepDir`, the series being loaded) until it fits.
   */
  write(file: string, bytes: Uint8Array, keepDir: string): Promise<void>;
  /** Removes the least recently used files until the cache is within its limit. */
  trim(): Promise<void>;
}

async function listCached(dir: string): Promise<{ file: string; size: number; usedMs: number }[]> {
  const found: { file: string; size: number; usedMs: number }[] = [];
  let entries: string[];
  try {
    entries = await fsp.readdir(dir, { recursive: true });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw thrown;
  }
  const now = Date.now();
  for (const entry of entries) {
    const file = path.join(dir, entry);
    const name = path.basename(entry);
    if (!name.endsWith('.dcm') && !name.endsWith('.tmp')) continue;
    const stat = await fsp.stat(file).catch(() => null);
    if (stat === null || !stat.isFile()) continue;
    if (name.startsWith('.')) {
      if (name.endsWith('.tmp') && now - stat.mtimeMs > staleTempMs) await fsp.rm(file, { force: true });
      continue;
    }
    found.push({ file, size: stat.size, usedMs: stat.mtimeMs });
  }
  return found.sort((a, b) => a.usedMs - b.usedMs);
}

/** Opens (creating when needed) the cache of `workspaceDir`, bounded by `limitBytes`. */
export async function openPacsArchiveCache(workspaceDir: string, limitBytes: number): Promise<PacsArchiveCache> {
  if (!(limitBytes > 0)) throw new Error(`The PACS archive cache needs a size limit above 0 bytes (got ${limitBytes}).`);
  const { dir, instancePath } = pacsArchivePaths(workspaceDir);
  // Insertion order is the use order: the first entry is the least recently used.
  const entries = new Map<string, number>();
  let total = 0;
  for (const cached of await listCached(dir)) {
    entries.set(cached.file, cached.size);
    total += cached.size;
  }

  /** Takes victims out of the accounting at once (so concurrent writers agree), then deletes them. */
  const evict = async (needed: number, keepDir: string | null): Promise<void> => {
    const victims: string[] = [];
    for (const [file, size] of entries) {
      if (total + needed <= limitBytes) break;
      if (keepDir !== null && file.startsWith(keepDir + path.sep)) continue;
      entries.delete(file);
      total -= size;
      victims.push(file);
    }
    await Promise.all(victims.map((file) => fsp.rm(file, { force: true })));
  };

  return {
    dir,
    limitBytes,
    bytes: () => total,
    files: () => entries.size,
    instancePath,
    has: (file) => entries.has(file),
    async touch(files) {
      const now = new Date();
      for (const file of files) {
        const size = entries.get(file);
        if (size === undefined) continue;
        entries.delete(file);
        entries.set(file, size);
        await fsp.utimes(file, now, now).catch(() => undefined);
      }
    },
    async write(file, bytes, keepDir) {
      const earlier = entries.get(file);
      if (earlier !== undefined) {
        entries.delete(file);
        total -= earlier;
      }
      await evict(bytes.length, keepDir);
      entries.set(file, bytes.length);
      total += bytes.length;
      try {
        await writeFileAtomic(file, bytes);
      } catch (thrown) {
        entries.delete(file);
        total -= bytes.length;
        throw thrown;
      }
    },
    trim: () => evict(0, null),
  };
}
