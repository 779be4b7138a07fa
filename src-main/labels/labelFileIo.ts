/**
 * Reading and writing one series' label file. Writes are atomic (temp file,
 * fsync, rename, fsync of the folder), so a kill at any moment leaves the
 * previous or the new file. A file that fails its checks is never
 * overwritten: it is renamed to `<file>.corrupt-<time>` and the caller tells
 * the user where it went.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, type AtomicWriteFs } from '../workspace/atomicWrite';
import { LabelError } from './labelError';
import { decodeLabelFile, encodeLabelFile, LabelFileCorruptError, LabelFileTooNewError, type LabelFileContent } from './labelFileFormat';

/** What reading a label file found. */
export type LabelFileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly content: LabelFileContent }
  /** The file failed its checks; it now lies at `corruptCopy`. `problem` says so for the user. */
  | { readonly kind: 'corrupt'; readonly problem: string; readonly corruptCopy: string };

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Reads `file`; throws a LabelError when it cannot be read at all or is too new. */
export async function readLabelFile(file: string): Promise<LabelFileRead> {
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw new LabelError('io', `Could not read the labels file ${file}: ${describe(thrown)}. Nothing was changed.`, { cause: thrown });
  }
  try {
    return { kind: 'ok', content: await decodeLabelFile(bytes) };
  } catch (thrown) {
    if (thrown instanceof LabelFileTooNewError) {
      throw new LabelError('unavailable', `Cannot open the labels file ${file}: ${thrown.message}. The file was left untouched.`);
    }
    if (!(thrown instanceof LabelFileCorruptError)) throw thrown;
    const corruptCopy = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fsp.rename(file, corruptCopy);
    } catch (renameError) {
      // Without the copy aside a later save would replace the damaged file: refuse to go on.
      throw new LabelError('io', `The labels file ${file} is corrupt (${thrown.reason}) and could not be moved aside to ${corruptCopy}: ${describe(renameError)}. Nothing was changed.`, { cause: renameError });
    }
    return {
      kind: 'corrupt',
      corruptCopy,
      problem: `The labels file ${file} is corrupt: ${thrown.reason}. It was kept as ${corruptCopy}; the labels of this series start empty.`,
    };
  }
}

/** Encodes `content` and replaces `file` with it atomically. */
export async function writeLabelFile(file: string, content: LabelFileContent, fs?: AtomicWriteFs): Promise<void> {
  const bytes = await encodeLabelFile(content);
  await writeFileAtomic(file, bytes, fs === undefined ? {} : { fs });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    // EPERM: the process exists but belongs to someone else.
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that writers of `file` left when they were killed
 * mid-write (atomicWrite names them `.<name>.<pid>.<random>.tmp`). A temp file
 * of a process that still runs is left alone: it may be writing right now.
 * Returns the files removed.
 */
export async function removeStaleTempFiles(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    try {
      await fsp.unlink(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      // Gone already, or not ours to remove: harmless either way.
    }
  }
  return removed;
}
