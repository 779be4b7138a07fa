/**
 * Why a save failed, in words a radiologist can act on. The atomic writer
 * wraps the file-system error, so the errno code is looked for along the
 * chain of causes.
 */

const causes: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the disk is read-only',
  EACCES: 'permission was denied',
  EPERM: 'the operation was not permitted',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'the folder no longer exists',
  ENOTDIR: 'a part of the path is not a folder',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EBUSY: 'the file is in use',
};

/** The first errno code (`ENOSPC`, ...) along the chain of causes, or null. */
export function errnoOf(thrown: unknown): string | null {
  for (let current = thrown, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return null;
}

/** Whether the failure means "no room or no write access" (the contract's 'disk-full' code). */
export function isDiskFull(thrown: unknown): boolean {
  const code = errnoOf(thrown);
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS';
}

/** "the disk is full (ENOSPC)", or the error's own message when the code is unknown. */
export function describeCause(thrown: unknown): string {
  const code = errnoOf(thrown);
  const words = code === null ? undefined : causes[code];
  if (words !== undefined) return `${words} (${code})`;
  let innermost: unknown = thrown;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : String(innermost);
}

/** The status message of a failed label save: the file, the cause, and that the work is safe. */
export function saveFailureMessage(file: string, thrown: unknown, retryMs: number): string {
  return `Could not save the labels to ${file}: ${describeCause(thrown)}. Your work is kept in memory and saving is retried every ${Math.round(retryMs / 1000)} s and after your next edit; the last saved version on disk is intact.`;
}
