/**
 * Lists the files under the paths a user picked: folders recursively,
 * following symbolic links but never into a folder already visited (links
 * that loop, or that reach the same folder twice), and each real file once.
 * Unreadable folders are reported, not fatal.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import path from 'node:path';
import { isCancelled, type CancelLike } from '../shared/cancellation';

export interface WalkResult {
  /** Absolute paths, in a stable order (sorted per folder). */
  readonly files: string[];
  readonly unreadable: { path: string; reason: string }[];
  /** Picked paths that do not exist (said plainly, not as an unreadable file). */
  readonly notFound: string[];
}

export interface WalkOptions {
  readonly signal?: CancelLike;
  /** Called now and then with the number of files found so far. */
  readonly onProgress?: (filesFound: number) => void;
}

function reasonOf(thrown: unknown): string {
  const error = thrown as NodeJS.ErrnoException;
  // Node's messages already start with the code ("ENOENT: no such file ...").
  if (error.code === undefined || error.message.startsWith(error.code)) return error.message ?? String(thrown);
  return `${error.code}: ${error.message}`;
}

/** Walks `paths` (files or folders); stops early, keeping what it found, when cancelled. */
export async function walkFiles(paths: readonly string[], options: WalkOptions = {}): Promise<WalkResult> {
  const files: string[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  const notFound: string[] = [];
  // Keys are real paths; plain entries get theirs from their folder's real
  // path without a syscall, only links are resolved.
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  let lastReport = 0;
  const addFile = (file: string, real: string): void => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(file);
    const now = Date.now();
    if (options.onProgress !== undefined && now - lastReport > 100) {
      lastReport = now;
      options.onProgress(files.length);
    }
  };
  const visitDir = async (dir: string, real: string): Promise<void> => {
    if (isCancelled(options.signal) || seenDirs.has(real)) return; // a loop, or a second way into the same folder
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (thrown) {
      unreadable.push({ path: dir, reason: `folder ${path.basename(dir)} cannot be listed (${reasonOf(thrown)})` });
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile()) addFile(full, path.join(real, entry.name));
      else if (entry.isDirectory()) await visitDir(full, path.join(real, entry.name));
      else if (entry.isSymbolicLink()) await visitAny(full);
    }
  };
  const visitAny = async (entry: string, picked = false): Promise<void> => {
    if (isCancelled(options.signal)) return;
    try {
      const stat = await fsp.stat(entry); // follows links
      const real = await fsp.realpath(entry);
      if (stat.isFile()) addFile(entry, real);
      else if (stat.isDirectory()) await visitDir(entry, real);
    } catch (thrown) {
      if (picked && (thrown as NodeJS.ErrnoException).code === 'ENOENT') {
        notFound.push(entry);
        return;
      }
      unreadable.push({ path: entry, reason: `${path.basename(entry)}: cannot be read (${reasonOf(thrown)})` });
    }
  };
  for (const entry of paths) await visitAny(path.resolve(entry), true);
  options.onProgress?.(files.length);
  return { files, unreadable, notFound };
}
