// Finds the Electron binary without triggering its download, and words what
// `npm start` says when it is missing. Used by scripts/start.mjs; kept apart
// so the decisions are unit tested (tests/packaging/startScript.test.ts).
//
// Why not require('electron'): since Electron 42 that call downloads the
// binary when it is missing, synchronously, and throws when it cannot.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The executable's path inside node_modules/electron/dist, as electron's install.js writes it to path.txt. */
export function platformExecutable(platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/**
 * Where the binary is, or why it is not there.
 * @param {{ electronDir: string, env?: Record<string, string | undefined>, platform?: string }} options
 */
export function locateElectron({ electronDir, env = process.env, platform = process.platform }) {
  const packageFile = path.join(electronDir, 'package.json');
  if (!existsSync(packageFile)) {
    return { status: 'missing', version: null, expected: electronDir, reason: 'the electron package is not installed (run npm ci)' };
  }
  const version = JSON.parse(readFileSync(packageFile, 'utf8')).version ?? null;
  const pathFile = path.join(electronDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const executable = recorded || platformExecutable(platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, executable) : path.join(electronDir, 'dist', executable);
  if (existsSync(binary)) return { status: 'present', version, binary };
  const reason = override
    ? `ELECTRON_OVERRIDE_DIST_PATH points at ${override}, which has no ${executable}`
    : `${path.join('node_modules', 'electron', 'dist', executable)} does not exist`;
  return { status: 'missing', version, expected: binary, reason };
}

const networkErrors = [
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, (host) => `${host} could not be resolved (no DNS or no network access)`],
  [/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/i, (host) => `the connection to ${host} was refused or reset`],
  [/ETIMEDOUT|ESOCKETTIMEDOUT|timed? ?out/i, (host) => `the connection to ${host} timed out`],
  [/HTTPError|status code \d{3}|Response code \d{3}/i, (host) => `${host} answered with an HTTP error`],
  [/checksum|sha256/i, () => 'the downloaded file failed its checksum'],
  [/proxy|ERR_TUNNEL/i, () => 'a proxy refused the download'],
  [/fetch failed/i, (host) => `the download from ${host} failed (no network access to it?)`],
];

/**
 * One clause saying why the install attempt failed, from what it printed.
 * @param {{ timedOut: boolean, exitCode: number | null, output: string, host?: string }} attempt
 */
export function describeInstallFailure({ timedOut, exitCode, output, host = 'github.com' }) {
  if (timedOut) return `the download from ${host} did not finish in time (no network access to it?)`;
  for (const [pattern, clause] of networkErrors) {
    if (pattern.test(output)) return clause(host);
  }
  const lastLine = output.trim().split('\n').filter((line) => line.trim() !== '').pop();
  return lastLine ? `its installer failed (exit ${exitCode ?? '?'}): ${lastLine.trim().slice(0, 200)}` : `its installer failed (exit ${exitCode ?? '?'})`;
}

/** The host the electron installer downloads from. */
export function downloadHost(env = process.env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror;
  if (!mirror) return 'github.com';
  try {
    return new URL(mirror).host || mirror;
  } catch {
    return mirror;
  }
}

/**
 * The one paragraph `npm start` prints when Electron cannot start.
 * @param {{ version: string | null, reason: string, installFailure: string | null }} details
 */
export function missingElectronMessage({ version, reason, installFailure }) {
  const which = version ? `Electron ${version}` : 'Electron';
  const why = installFailure ? `${reason}, and it could not be downloaded: ${installFailure}` : reason;
  return [
    `The ${which} binary is not installed (${why}).`,
    'The desktop window cannot start on this machine.',
    'Run `npm run serve` instead: it runs the same app in a browser on this machine (a server on 127.0.0.1 with a per-launch token).',
    'To install Electron offline later, put its zip in the Electron cache (electron_config_cache) or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron, then run `npm start` again.',
  ].join(' ');
}

/**
 * Makes sure the binary is there, trying the package's own installer once.
 * @param {{ electronDir: string, env?: Record<string, string | undefined>, platform?: string,
 *   install: () => Promise<{ timedOut: boolean, exitCode: number | null, output: string }> }} options
 */
export async function ensureElectron({ electronDir, env = process.env, platform = process.platform, install }) {
  const first = locateElectron({ electronDir, env, platform });
  if (first.status === 'present') return { ok: true, binary: first.binary, installed: false };
  if (first.version === null) {
    return { ok: false, message: missingElectronMessage({ version: null, reason: first.reason, installFailure: null }) };
  }
  const attempt = await install();
  const second = locateElectron({ electronDir, env, platform });
  if (second.status === 'present') return { ok: true, binary: second.binary, installed: true };
  const installFailure =
    attempt.exitCode === 0 && !attempt.timedOut
      ? 'its installer finished but left no binary'
      : describeInstallFailure({ ...attempt, host: downloadHost(env) });
  return { ok: false, message: missingElectronMessage({ version: first.version, reason: first.reason, installFailure }) };
}
