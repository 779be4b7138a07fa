/** The webgpu probe skips Dawn when the Vulkan loader would find no driver (trainer/backends/vulkanDrivers.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingVulkanDriver, vulkanIcdFolders } from '../../../src-main/trainer/backends/vulkanDrivers';

let dir = '';
afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** An environment whose XDG folders all lie in a fresh temporary folder. */
function isolatedEnv(): Record<string, string> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vulkan-icd-'));
  return { XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CONFIG_DIRS: path.join(dir, 'xdg'), XDG_DATA_HOME: path.join(dir, 'data'), XDG_DATA_DIRS: path.join(dir, 'share') };
}

describe('missingVulkanDriver', () => {
  it('searches the loader\'s folders, the XDG ones first', () => {
    const folders = vulkanIcdFolders({}, '/home/u');
    expect(folders[0]).toBe('/home/u/.config/vulkan/icd.d');
    expect(folders).toContain('/etc/vulkan/icd.d');
    expect(folders).toContain('/usr/share/vulkan/icd.d');
  });

  it('finds a manifest in an XDG data folder', () => {
    const env = isolatedEnv();
    const icdDir = path.join(dir, 'share', 'vulkan', 'icd.d');
    mkdirSync(icdDir, { recursive: true });
    const onSystem = missingVulkanDriver(env, 'linux', dir);
    writeFileSync(path.join(icdDir, 'nvidia_icd.json'), '{}');
    expect(missingVulkanDriver(env, 'linux', dir)).toBeNull();
    // Without the manifest, the answer is whatever the system folders (/etc, /usr/share) hold.
    rmSync(path.join(icdDir, 'nvidia_icd.json'));
    expect(missingVulkanDriver(env, 'linux', dir)).toBe(onSystem);
  });

  it('counts a driver named by VK_ICD_FILENAMES only when the file exists', () => {
    const env = isolatedEnv();
    const icd = path.join(dir, 'vk_swiftshader_icd.json');
    // A machine with a system driver (in /etc or /usr/share) still has one.
    if (missingVulkanDriver(env, 'linux', dir) !== null) expect(missingVulkanDriver({ ...env, VK_ICD_FILENAMES: icd }, 'linux', dir)).toContain(icd);
    writeFileSync(icd, '{}');
    expect(missingVulkanDriver({ ...env, VK_ICD_FILENAMES: icd }, 'linux', dir)).toBeNull();
  });

  it('does not apply off Linux (D3D12, Metal)', () => {
    expect(missingVulkanDriver({}, 'win32')).toBeNull();
    expect(missingVulkanDriver({}, 'darwin')).toBeNull();
  });
});
