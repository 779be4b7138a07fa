/**
 * Atomic file replacement for everything written into the workspace: write a
 * temp file beside the target, fsync it, rename it over the target, fsync the
 * folder. A crash or kill at any moment leaves either the old or the new
 * version on disk, never a torn file (rename is atomic within one folder; the
 * folder fsync makes the rename itself durable).
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * The file-system operations the atomic write uses. Injectable so tests can
 * simulate a full disk (ENOSPC) or a failing rename at any step.
 */
export interface AtomicWriteFs {
  open(file: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
}

/** The part of a FileHandle the atomic write uses. */
export interface AtomicFileHandle {
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const nodeAtomicWriteFs: AtomicWriteFs = {
  open: (file, flags, mode) => fsp.open(file, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (file) => fsp.unlink(file),
  mkdir: (dir, options) => fsp.mkdir(dir, options),
};

export interface AtomicWriteOptions {
  /** Replaces the real file system (tests). */
  readonly fs?: AtomicWriteFs;
  /** File mode of a newly created file (default 0o644). */
  readonly mode?: number;
}

/** Writes `data` to `file` atomically, creating the parent folder when needed. */
export async function writeFileAtomic(file: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeAtomicWriteFs;
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  // Same folder as the target: rename is only atomic within one file system.
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: AtomicFileHandle | null = null;
  try {
    handle = await fs.open(temp, 'wx', options.mode ?? 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(temp, file);
  } catch (thrown) {
    if (handle !== null) await handle.close().catch(() => undefined);
    await fs.unlink(temp).catch(() => undefined);
    throw new Error(`Could not write ${file}: ${thrown instanceof Error ? thrown.message : String(thrown)} (the previous version, if any, is intact).`, { cause: thrown });
  }
  await syncFolder(dir, fs);
}

/**
 * Makes a rename durable. Some platforms (Windows) cannot open a folder for
 * fsync; the rename has then already happened and is as durable as the OS
 * allows, so that failure is not an error.
 */
async function syncFolder(dir: string, fs: AtomicWriteFs): Promise<void> {
  let handle: AtomicFileHandle | null = null;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // See above: best effort by design.
  } finally {
    if (handle !== null) await handle.close().catch(() => undefined);
  }
}

/** Serialises `value` as pretty JSON and writes it atomically. */
export function writeJsonAtomic(file: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`, options);
}
