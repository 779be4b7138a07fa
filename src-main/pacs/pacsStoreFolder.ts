/**
 * The workspace's own store of retrieved DICOM files: the only place the app
 * copies pixels for viewing (pre-training on a PACS query has its own bounded
 * cache, pacsArchiveCache.ts). One folder per series, one file per instance named by its
 * SOP Instance UID, each written atomically, so a file that exists is
 * complete and a resumed retrieve fetches only the missing ones.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { PacsError } from './pacsError';

/** A UID as DICOM defines it (digits and dots): safe as a file name, never a path. */
const uidPattern = /^[0-9]+(\.[0-9]+)*$/;

export function checkUid(uid: string, what: string): string {
  if (uid.length > 64 || !uidPattern.test(uid)) throw new PacsError('malformed', `${what} "${uid.slice(0, 80)}" is not a DICOM UID.`);
  return uid;
}

/** The store folder inside the workspace. */
export const pacsStoreDir = (workspaceDir: string): string => path.join(path.resolve(workspaceDir), 'pacs-store');

/** The folder of one series in the store. */
export function seriesStoreDir(workspaceDir: string, studyUid: string, seriesUid: string): string {
  return path.join(pacsStoreDir(workspaceDir), checkUid(studyUid, 'Study Instance UID'), checkUid(seriesUid, 'Series Instance UID'));
}

export const instanceFileName = (sopUid: string): string => `${checkUid(sopUid, 'SOP Instance UID')}.dcm`;

/** SOP Instance UIDs whose files are in the series folder (temp files of an interrupted write are not). */
export async function storedInstances(seriesDir: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await fsp.readdir(seriesDir);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw thrown;
  }
  return new Set(names.filter((name) => name.endsWith('.dcm') && !name.startsWith('.')).map((name) => name.slice(0, -'.dcm'.length)));
}
