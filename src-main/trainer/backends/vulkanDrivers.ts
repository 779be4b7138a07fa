/**
 * Whether a Vulkan driver is installed, decided from the ICD manifests the
 * Vulkan loader would read, without starting Dawn. With none, Dawn's adapter
 * request only fails and its native code prints "vkCreateInstance: Found no
 * drivers!" and a stack line straight to stderr (no JavaScript can catch
 * them), so the webgpu probe says "no Vulkan driver" instead of asking Dawn.
 * Linux only: elsewhere Dawn uses D3D12 or Metal.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

const splitPaths = (value: string | undefined): string[] => (value ?? '').split(':').filter((p) => p !== '');

/** The folders the Linux Vulkan loader searches for ICD manifests (its documented order). */
export function vulkanIcdFolders(env: Env = process.env, home: string = os.homedir()): string[] {
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const configDirs = splitPaths(env.XDG_CONFIG_DIRS || '/etc/xdg');
  const dataHome = env.XDG_DATA_HOME || path.join(home, '.local/share');
  const dataDirs = splitPaths(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share');
  return [configHome, ...configDirs, '/usr/local/etc', '/etc', dataHome, ...dataDirs].map((dir) => path.join(dir, 'vulkan', 'icd.d'));
}

function hasManifest(folder: string): boolean {
  try {
    return readdirSync(folder).some((name) => name.endsWith('.json'));
  } catch {
    return false;
  }
}

/**
 * Null when a Vulkan driver may be present (or the platform is not Linux),
 * else the reason there is none. Driver lists named in the environment
 * (VK_ICD_FILENAMES, VK_DRIVER_FILES, VK_ADD_DRIVER_FILES) count when a named file exists.
 */
export function missingVulkanDriver(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string | null {
  if (platform !== 'linux') return null;
  const named = ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'].flatMap((name) => splitPaths(env[name]));
  if (named.some((file) => existsSync(file) && (file.endsWith('.json') || hasManifest(file)))) return null;
  const folders = vulkanIcdFolders(env, home);
  if (folders.some(hasManifest)) return null;
  return named.length > 0
    ? `none of the Vulkan drivers named in the environment exists (${named.join(', ')})`
    : `no Vulkan driver installed (no ICD manifest in /usr/share/vulkan/icd.d, /etc/vulkan/icd.d or the ${folders.length - 2} other folders the Vulkan loader reads)`;
}
