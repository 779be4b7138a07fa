/**
 * `npm test` checks the Debian packages of .ci/debian-packages.txt before it
 * runs anything (scripts/debian-packages.mjs): a machine without them gets the
 * exact install line at once, not a failure halfway through the suite.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { debianPackages, ensureDebianPackages, installLine } from '../../../scripts/debian-packages.mjs';

const onDebian = spawnSync('dpkg-query', ['--version']).status === 0;

describe('the Debian package check of npm test', () => {
  it('reads one package a line from .ci/debian-packages.txt, comments dropped', () => {
    expect(debianPackages('# header\nchromium   # the browser\n\nlibvulkan1\n')).toEqual(['chromium', 'libvulkan1']);
    const listed = debianPackages() as string[];
    expect(listed).toContain('chromium');
    expect(listed).toContain('dicom3tools');
    // .ci/run has no list of its own: it calls the same script.
    expect(readFileSync('.ci/run', 'utf8')).toContain('scripts/debian-packages.mjs');
    expect(readFileSync('.ci/run', 'utf8')).not.toMatch(/apt-get install/);
  });

  it.runIf(onDebian)('without root, names the missing packages and the exact install line', () => {
    const message = ensureDebianPackages({ packages: ['macl-no-such-package', 'coreutils'], asRoot: false, log: () => undefined }) as string | null;
    expect(message).toContain('macl-no-such-package');
    expect(message).toContain(installLine(['macl-no-such-package']));
    expect(message).not.toContain('coreutils');
  });

  it.runIf(onDebian)('passes when every package is installed', () => {
    expect(ensureDebianPackages({ packages: ['coreutils'], asRoot: false, log: () => undefined })).toBeNull();
  });
});
