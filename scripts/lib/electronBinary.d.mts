/** Types of scripts/lib/electronBinary.mjs, for the tests that import it. */
export type Env = Readonly<Record<string, string | undefined>>;

export type ElectronLocation =
  | { status: 'present'; version: string | null; binary: string }
  | { status: 'missing'; version: string | null; expected: string; reason: string };

export interface InstallAttempt {
  timedOut: boolean;
  exitCode: number | null;
  output: string;
}

export type EnsureResult = { ok: true; binary: string; installed: boolean } | { ok: false; message: string };

export function platformExecutable(platform: string): string;
export function locateElectron(options: { electronDir: string; env?: Env; platform?: string }): ElectronLocation;
export function describeInstallFailure(attempt: InstallAttempt & { host?: string }): string;
export function downloadHost(env?: Env): string;
export function missingElectronMessage(details: { version: string | null; reason: string; installFailure: string | null }): string;
export function ensureElectron(options: {
  electronDir: string;
  env?: Env;
  platform?: string;
  install: () => Promise<InstallAttempt>;
}): Promise<EnsureResult>;
