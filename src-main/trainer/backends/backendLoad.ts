/**
 * What loading one compute backend produced: the tfjs backend name to
 * activate and the device it runs on, or the reason it cannot be used.
 * Loading never throws: a missing package or driver is an ordinary outcome.
 */
export type BackendLoad =
  | { readonly ok: true; readonly tfName: string; readonly device: string }
  | { readonly ok: false; readonly device: string; readonly reason: string };

/** The first line of whatever was thrown, for a one-line reason. */
export function describeThrown(thrown: unknown): string {
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return text.split('\n', 1)[0]?.trim() || 'unknown error';
}

/** The error code Node attaches to failed module loads, if any. */
export function errorCode(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null || !('code' in thrown)) return undefined;
  return typeof thrown.code === 'string' ? thrown.code : undefined;
}
