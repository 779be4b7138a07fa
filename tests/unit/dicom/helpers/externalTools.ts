/**
 * The independent tools the DICOM tests compare against (Debian packages,
 * installed by .ci/run). A missing tool fails the test with the package to
 * install: these checks must never be skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const systemPython = '/usr/bin/python3';
export const pydicomTestFiles = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** Throws naming the Debian packages when the system Python lacks pydicom, numpy or gdcm. */
export function requirePydicom(): void {
  if (!existsSync(systemPython)) throw new Error(`${systemPython} is missing: apt-get install -y --no-install-recommends python3 python3-pydicom python3-numpy python3-gdcm`);
  const probe = spawnSync(systemPython, ['-c', 'import pydicom, numpy, gdcm'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`pydicom, numpy or gdcm missing for ${systemPython} (${probe.stderr.trim().split('\n').pop() ?? ''}): apt-get install -y --no-install-recommends python3-pydicom python3-numpy python3-gdcm`);
  }
}

/** Throws naming the Debian package when a command-line tool is missing. */
export function requireTool(command: string, debianPackage: string): void {
  const probe = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${command} is not installed: apt-get install -y --no-install-recommends ${debianPackage}`);
}
