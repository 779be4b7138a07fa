#!/usr/bin/env node
// Makes sure the Debian packages the tests compare against are installed
// (the list is .ci/debian-packages.txt), before any test runs: as root it
// installs the missing ones (apt-get, non-interactive); otherwise it fails at
// once with the exact install line, instead of failing halfway through the suite.
// Used by `npm test` (scripts/run-tests.mjs) and .ci/run; run alone to check a machine.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const listFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.ci/debian-packages.txt');

/** The package names of .ci/debian-packages.txt (comments and blank lines dropped). */
export function debianPackages(text = readFileSync(listFile, 'utf8')) {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** The apt-get line that installs `packages`. */
export function installLine(packages) {
  return `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function installed(pkg) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

/**
 * Returns null when every package is there (or was just installed), else the
 * message to print. Off Debian (no dpkg-query) it says it cannot check and
 * returns null: the tests then name any missing tool themselves.
 */
export function ensureDebianPackages({ packages = debianPackages(), asRoot = process.getuid?.() === 0, log = (line) => console.log(line) } = {}) {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) {
    log(`debian packages: dpkg-query not found, not checking ${packages.join(', ')} (the tests that need them will name what is missing)`);
    return null;
  }
  const missing = packages.filter((pkg) => !installed(pkg));
  if (missing.length === 0) return null;
  if (!asRoot) {
    return `The tests need Debian packages that are not installed: ${missing.join(' ')}\nInstall them as root, then run the tests again:\n  sudo apt-get update && sudo ${installLine(missing)}`;
  }
  log(`debian packages: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (run.status !== 0) return `apt-get ${args[0]} failed (exit ${run.status ?? run.signal}); the line that installs what is missing: ${installLine(missing)}`;
  }
  const still = missing.filter((pkg) => !installed(pkg));
  return still.length === 0 ? null : `apt-get ran, yet these are still not installed: ${still.join(' ')}`;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problem = ensureDebianPackages();
  if (problem !== null) {
    console.error(problem);
    process.exit(1);
  }
  console.log(`debian packages: ${debianPackages().length} present`);
}
