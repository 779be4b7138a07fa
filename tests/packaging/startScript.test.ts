import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  describeInstallFailure,
  downloadHost,
  ensureElectron,
  locateElectron,
  missingElectronMessage,
  platformExecutable,
  type InstallAttempt,
} from '../../scripts/lib/electronBinary.mjs';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fake node_modules/electron: the package without its binary, as npm ci leaves it offline. */
function fakeElectronPackage(version = '45.4.1'): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'macl-electron-')), 'electron');
  folders.push(path.dirname(dir));
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  return dir;
}

/** What electron's install.js leaves after a successful download. */
function installBinary(dir: string, executable = 'electron'): string {
  const binary = path.join(dir, 'dist', executable);
  mkdirSync(path.dirname(binary), { recursive: true });
  writeFileSync(binary, '#!/bin/sh\n');
  chmodSync(binary, 0o755);
  writeFileSync(path.join(dir, 'path.txt'), executable);
  return binary;
}

const offline: InstallAttempt = {
  timedOut: false,
  exitCode: 1,
  output: 'TypeError: fetch failed\n    at async downloadArtifact\ngetaddrinfo ENOTFOUND github.com',
};
const env = {};

describe('locateElectron', () => {
  it('reports a missing binary without trying to download it', () => {
    const dir = fakeElectronPackage();
    expect(locateElectron({ electronDir: dir, env, platform: 'linux' })).toMatchObject({
      status: 'missing',
      version: '45.4.1',
      expected: path.join(dir, 'dist', 'electron'),
    });
  });

  it('finds the binary that path.txt names', () => {
    const dir = fakeElectronPackage();
    const binary = installBinary(dir);
    expect(locateElectron({ electronDir: dir, env, platform: 'linux' })).toEqual({ status: 'present', version: '45.4.1', binary });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = fakeElectronPackage();
    const other = fakeElectronPackage();
    const binary = installBinary(other);
    expect(locateElectron({ electronDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: path.dirname(binary) }, platform: 'linux' })).toMatchObject({ status: 'present', binary });
    expect(locateElectron({ electronDir: dir, env: { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }, platform: 'linux' })).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH'),
    });
  });

  it('knows each platform executable', () => {
    expect(platformExecutable('linux')).toBe('electron');
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });

  it('reports a missing package', () => {
    expect(locateElectron({ electronDir: '/nowhere/electron', env })).toMatchObject({ status: 'missing', version: null });
  });
});

describe('ensureElectron', () => {
  it('starts at once when the binary is there', async () => {
    const dir = fakeElectronPackage();
    const binary = installBinary(dir);
    let installs = 0;
    const result = await ensureElectron({ electronDir: dir, env, platform: 'linux', install: async () => (installs++, offline) });
    expect(result).toEqual({ ok: true, binary, installed: false });
    expect(installs).toBe(0);
  });

  it('uses the binary a successful install left', async () => {
    const dir = fakeElectronPackage();
    const result = await ensureElectron({
      electronDir: dir,
      env,
      platform: 'linux',
      install: async () => {
        installBinary(dir);
        return { timedOut: false, exitCode: 0, output: '' };
      },
    });
    expect(result).toMatchObject({ ok: true, installed: true });
  });

  it('tries the install once, then explains in one paragraph and points to npm run serve', async () => {
    const dir = fakeElectronPackage();
    let installs = 0;
    const result = await ensureElectron({ electronDir: dir, env, platform: 'linux', install: async () => (installs++, offline) });
    expect(installs).toBe(1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).not.toContain('\n');
    expect(result.message).toContain('Electron 45.4.1 binary is not installed');
    expect(result.message).toContain('github.com could not be resolved');
    expect(result.message).toContain('cannot start');
    expect(result.message).toContain('`npm run serve`');
  });

  it('does not try to install when the electron package itself is missing', async () => {
    let installs = 0;
    const result = await ensureElectron({ electronDir: '/nowhere/electron', env, install: async () => (installs++, offline) });
    expect(installs).toBe(0);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('npm ci') });
  });
});

describe('install failure wording', () => {
  it.each([
    [{ timedOut: true, exitCode: null, output: '' }, 'did not finish in time'],
    [{ timedOut: false, exitCode: 1, output: 'Error: connect ECONNREFUSED 1.2.3.4:443' }, 'refused'],
    [{ timedOut: false, exitCode: 1, output: 'HTTPError: Response code 404 (Not Found)' }, 'HTTP error'],
    [{ timedOut: false, exitCode: 1, output: 'TypeError: fetch failed' }, 'no network access'],
    [{ timedOut: false, exitCode: 7, output: 'something odd\n' }, 'exit 7): something odd'],
  ] as const)('%j', (attempt, expected) => {
    expect(describeInstallFailure(attempt)).toContain(expected);
  });

  it('names the mirror host when one is configured', () => {
    expect(downloadHost({ ELECTRON_MIRROR: 'https://mirror.example.org/electron/' })).toBe('mirror.example.org');
    expect(downloadHost({})).toBe('github.com');
  });

  it('keeps the message to one paragraph', () => {
    expect(missingElectronMessage({ version: '1.0.0', reason: 'x', installFailure: 'y' })).not.toContain('\n');
  });
});
