/**
 * The persistent, resumable index of one scanned archive folder: an
 * append-only JSON-lines journal of scanned files (path, size, mtime and
 * what was found), compacted now and then into a snapshot written
 * atomically. A resumed scan skips files whose size and mtime are unchanged.
 *
 * Crash safety: the journal only grows; a torn last line (killed mid-write)
 * is skipped on load and that file is simply scanned again. Compaction
 * writes the snapshot first, then empties the journal; a crash in between
 * replays journal entries already in the snapshot, which is harmless because
 * entries are keyed by path. Generic over the record stored per file.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicWrite';

export type ArchiveOutcome<R> = { readonly kind: 'dicom'; readonly record: R } | { readonly kind: 'not-dicom' } | { readonly kind: 'refused'; readonly reason: string };

export interface ArchiveEntry<R> {
  /** Path relative to the archive root (forward slashes are not enforced: as the OS gives it). */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly outcome: ArchiveOutcome<R>;
}

export interface ArchiveIndex<R> {
  readonly dir: string;
  /** Problems met when loading (torn or invalid journal lines), for the log. */
  readonly loadProblems: readonly string[];
  readonly entries: ReadonlyMap<string, ArchiveEntry<R>>;
  /** True when `relPath` was scanned with this size and mtime. */
  isUnchanged(relPath: string, size: number, mtimeMs: number): boolean;
  /** Records a scanned file (buffered; written by flush, or when the buffer fills). */
  append(entry: ArchiveEntry<R>): Promise<void>;
  flush(): Promise<void>;
  /** Writes the snapshot (keeping only `keep` paths when given) and empties the journal. */
  compact(keep?: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

function entrySchema<R>(record: z.ZodType<R>) {
  return z.object({
    path: z.string().min(1),
    size: z.number().nonnegative(),
    mtimeMs: z.number(),
    outcome: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('dicom'), record }),
      z.object({ kind: z.literal('not-dicom') }),
      z.object({ kind: z.literal('refused'), reason: z.string() }),
    ]),
  });
}

const snapshotHead = z.object({ format: z.literal('macl-archive-index'), version: z.literal(1), root: z.string(), entries: z.array(z.unknown()) });

const bufferLimit = 256;

/** Opens (or starts) the index kept in folder `dir` for the archive at `root`. */
export async function openArchiveIndex<R>(dir: string, root: string, record: z.ZodType<R>): Promise<ArchiveIndex<R>> {
  const schema = entrySchema(record);
  const snapshotFile = path.join(dir, 'snapshot.json');
  const journalFile = path.join(dir, 'journal.jsonl');
  await fsp.mkdir(dir, { recursive: true });
  const entries = new Map<string, ArchiveEntry<R>>();
  const loadProblems: string[] = [];
  const accept = (raw: unknown, where: string): void => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) entries.set(parsed.data.path, parsed.data);
    else loadProblems.push(`${where}: invalid entry skipped (${parsed.error.issues[0]?.message ?? 'schema mismatch'})`);
  };
  try {
    const head = snapshotHead.safeParse(JSON.parse(await fsp.readFile(snapshotFile, 'utf8')));
    if (head.success) head.data.entries.forEach((raw, i) => accept(raw, `${snapshotFile} entry ${i + 1}`));
    else loadProblems.push(`${snapshotFile}: not an archive index snapshot; starting from the journal`);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') loadProblems.push(`${snapshotFile}: unreadable (${thrown instanceof Error ? thrown.message : String(thrown)}); starting from the journal`);
  }
  try {
    const lines = (await fsp.readFile(journalFile, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        accept(JSON.parse(line), `${journalFile} line ${i + 1}`);
      } catch {
        loadProblems.push(`${journalFile} line ${i + 1}: torn or corrupt line skipped (that file is scanned again)`);
      }
    });
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') throw thrown;
  }

  let journal: FileHandle | null = null;
  let buffer: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    const lines = buffer;
    buffer = [];
    // Writes are chained so lines land in the order they were appended.
    writing = writing.then(async () => {
      if (lines.length === 0) return;
      journal ??= await fsp.open(journalFile, 'a');
      await journal.write(lines.join(''));
    });
    return writing;
  };
  return {
    dir,
    loadProblems,
    entries,
    isUnchanged(relPath, size, mtimeMs) {
      const entry = entries.get(relPath);
      return entry !== undefined && entry.size === size && entry.mtimeMs === mtimeMs;
    },
    async append(entry) {
      entries.set(entry.path, entry);
      buffer.push(`${JSON.stringify(entry)}\n`);
      if (buffer.length >= bufferLimit) await flush();
    },
    flush,
    async compact(keep) {
      await flush();
      if (journal !== null) {
        await journal.sync();
        await journal.close();
        journal = null;
      }
      if (keep !== undefined) for (const key of [...entries.keys()]) if (!keep.has(key)) entries.delete(key);
      // Compact JSON: an archive snapshot holds tens of thousands of entries.
      const snapshot = { format: 'macl-archive-index', version: 1, root, updatedAt: new Date().toISOString(), entries: [...entries.values()] };
      await writeFileAtomic(snapshotFile, JSON.stringify(snapshot));
      await writeFileAtomic(journalFile, '');
    },
    async close() {
      await flush();
      if (journal !== null) {
        await journal.sync();
        await journal.close();
        journal = null;
      }
    },
  };
}
