/**
 * Where the workspace lives and what is inside it.
 *
 * The folder is chosen by the caller (a setting, a CLI flag, Electron's
 * documents path). When none is given, `defaultWorkspaceDir` resolves, in
 * order:
 *   1. the environment variable MACL_WORKSPACE (absolute, or relative to the
 *      current folder);
 *   2. on Linux, the XDG documents folder (XDG_DOCUMENTS_DIR from the
 *      environment, else from ~/.config/user-dirs.dirs) + "MACL Workspace";
 *   3. ~/Documents/MACL Workspace.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const workspaceEnvVar = 'MACL_WORKSPACE';
export const workspaceFolderName = 'MACL Workspace';

export interface WorkspaceDirInputs {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly platform?: NodeJS.Platform;
  /** Reads ~/.config/user-dirs.dirs (injectable for tests); null when absent. */
  readonly readUserDirs?: (file: string) => string | null;
}

function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The XDG documents folder from a user-dirs.dirs text, with $HOME expanded; null when not set. */
export function parseXdgDocumentsDir(text: string, homeDir: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*XDG_DOCUMENTS_DIR\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (match?.[1] !== undefined && match[1] !== '') {
      const value = match[1].replace(/^\$HOME(?=\/|$)/, homeDir);
      return path.isAbsolute(value) ? value : null;
    }
  }
  return null;
}

/** The default workspace folder (see the module comment for the order). */
export function defaultWorkspaceDir(inputs: WorkspaceDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  const fromEnv = env[workspaceEnvVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return path.resolve(fromEnv);
  const home = inputs.homeDir ?? os.homedir();
  if ((inputs.platform ?? process.platform) === 'linux') {
    const xdgEnv = env.XDG_DOCUMENTS_DIR;
    if (xdgEnv !== undefined && path.isAbsolute(xdgEnv)) return path.join(xdgEnv, workspaceFolderName);
    const configHome = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
    const text = (inputs.readUserDirs ?? readTextOrNull)(path.join(configHome, 'user-dirs.dirs'));
    const xdg = text === null ? null : parseXdgDocumentsDir(text, home);
    if (xdg !== null) return path.join(xdg, workspaceFolderName);
  }
  return path.join(home, 'Documents', workspaceFolderName);
}

/** The files of one workspace folder. */
export interface WorkspacePaths {
  readonly root: string;
  /** Imported series: summaries and sorted file lists (never pixel copies). */
  readonly seriesIndex: string;
  /** Per scanned archive root: a journal and a snapshot (see archiveIndex.ts). */
  archiveDir(archiveRoot: string): string;
}

/** Names the files inside the workspace folder `root`. */
export function workspacePaths(root: string): WorkspacePaths {
  const absolute = path.resolve(root);
  return {
    root: absolute,
    seriesIndex: path.join(absolute, 'series-index.json'),
    archiveDir(archiveRoot) {
      // One folder per archive root, named by a hash of its absolute path so
      // any path (spaces, drive letters, very long) maps to a safe name.
      const key = createHash('sha256').update(path.resolve(archiveRoot)).digest('hex').slice(0, 16);
      return path.join(absolute, 'archives', key);
    },
  };
}
