/**
 * Paths of files and folders dropped on the window. Only the desktop app can
 * know them: its preload exposes `maclBridge.pathForFile` (Electron's
 * webUtils.getPathForFile); a browser hides where a dropped file lives.
 */
import { bridgeGlobalName } from '../../src-main/shared/bridgeApi';

/** Gives the absolute path of a dropped File (an empty string when it has none). */
export type PathForFile = (file: File) => string;

/** The preload's pathForFile when running in the desktop app, else null. */
export function findPathForFile(scope: object = globalThis): PathForFile | null {
  const bridge: unknown = (scope as Record<string, unknown>)[bridgeGlobalName];
  if (typeof bridge !== 'object' || bridge === null) return null;
  const candidate: unknown = (bridge as Record<string, unknown>).pathForFile;
  return typeof candidate === 'function' ? (file) => String((candidate as PathForFile)(file)) : null;
}

/** Whether a drag carries files (not text or a link). */
export function dragHasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** The dropped files' paths, without the ones that have none. */
export function droppedPaths(files: Iterable<File>, pathForFile: PathForFile): string[] {
  return [...files].map((file) => pathForFile(file)).filter((path) => path.length > 0);
}
