/**
 * Finds a SwiftShader Vulkan ICD manifest (vk_swiftshader_icd.json). Pointing
 * VK_ICD_FILENAMES at it makes Dawn see a CPU-emulated Vulkan device, which is
 * how the WebGPU code path is tested on machines without a GPU. Electron and
 * Chromium both ship one next to their binary.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const swiftShaderIcdFileName = 'vk_swiftshader_icd.json';

export interface IcdSearchOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly execPath?: string;
  readonly isElectron?: boolean;
  readonly exists?: (file: string) => boolean;
}

/** Where to look, in order: MACL_SWIFTSHADER_ICD, Electron's own folder, the electron package, Chromium installs. */
export function swiftShaderIcdCandidates(options: IcdSearchOptions = {}): string[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const execPath = options.execPath ?? process.execPath;
  const isElectron = options.isElectron ?? process.versions.electron !== undefined;
  const candidates: string[] = [];
  const fromEnv = env.MACL_SWIFTSHADER_ICD?.trim();
  if (fromEnv) candidates.push(path.resolve(cwd, fromEnv));
  if (isElectron) candidates.push(path.join(path.dirname(execPath), swiftShaderIcdFileName));
  candidates.push(path.join(cwd, 'node_modules', 'electron', 'dist', swiftShaderIcdFileName));
  if (process.platform === 'linux') {
    for (const dir of ['/usr/lib/chromium', '/usr/lib64/chromium', '/usr/lib/chromium-browser', '/snap/chromium/current/usr/lib/chromium-browser']) {
      candidates.push(path.join(dir, swiftShaderIcdFileName));
    }
  }
  return candidates;
}

/** The first candidate that exists, or null. */
export function findSwiftShaderIcd(options: IcdSearchOptions = {}): string | null {
  const exists = options.exists ?? existsSync;
  return swiftShaderIcdCandidates(options).find((file) => exists(file)) ?? null;
}

/** The environment that makes Dawn use SwiftShader. XDG_RUNTIME_DIR only silences a loader warning. */
export function swiftShaderEnv(icdPath: string, env: Readonly<Record<string, string | undefined>> = process.env): Record<string, string> {
  return { VK_ICD_FILENAMES: icdPath, XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR ?? os.tmpdir() };
}
