import { describe, expect, it } from 'vitest';
import { classifyAdapter, describeAdapter } from '../../../src-main/trainer/backends/adapterClass';
import { findSwiftShaderIcd, swiftShaderEnv, swiftShaderIcdCandidates } from '../../../src-main/trainer/backends/swiftShaderIcd';

describe('classifyAdapter', () => {
  it('treats SwiftShader as software, as Dawn reports it here', () => {
    const info = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true };
    const result = classifyAdapter(info);
    expect(result.software).toBe(true);
    expect(result.swiftShader).toBe(true);
    expect(result.softwareReason).toMatch(/SwiftShader is a software/);
    expect(result.name).toBe('google swiftshader: swiftshader-device-subzero- (SwiftShader driver 5.0.0)');
  });

  it.each([
    [{ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, /llvmpipe/],
    [{ vendor: 'mesa', architecture: '', device: 'lavapipe', description: 'Mesa 23.0' }, /lavapipe/],
    [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, /WARP/],
    [{ vendor: 'unknown', device: 'Some device', isFallbackAdapter: true }, /fallback/],
  ])('treats %o as software', (info, reason) => {
    const result = classifyAdapter(info);
    expect(result.software).toBe(true);
    expect(result.swiftShader).toBe(false);
    expect(result.softwareReason).toMatch(reason);
  });

  it('honours isFallbackAdapter reported on the adapter rather than its info', () => {
    expect(classifyAdapter({ vendor: 'x', device: 'y' }, true).software).toBe(true);
  });

  it.each([
    { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54.15 550.54.15.0', isFallbackAdapter: false },
    { vendor: 'amd', architecture: 'rdna-2', device: 'AMD Radeon RX 6800', description: '' },
    { vendor: 'apple', architecture: 'metal-3', device: 'Apple M2' },
    { vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' },
  ])('treats %o as hardware', (info) => {
    const result = classifyAdapter(info);
    expect(result.software).toBe(false);
    expect(result.softwareReason).toBeNull();
    expect(result.name.length).toBeGreaterThan(0);
  });

  it('names adapters from whatever fields exist', () => {
    expect(describeAdapter({})).toBe('unknown WebGPU adapter');
    expect(describeAdapter({ vendor: 'nvidia', device: 'NVIDIA H100' })).toBe('NVIDIA H100');
    expect(describeAdapter({ vendor: 'amd', architecture: 'rdna-2' })).toBe('amd rdna-2');
  });
});

describe('SwiftShader ICD lookup', () => {
  it('prefers MACL_SWIFTSHADER_ICD, then Electron, then Chromium', () => {
    const candidates = swiftShaderIcdCandidates({ env: { MACL_SWIFTSHADER_ICD: '/opt/ss/icd.json' }, cwd: '/app', execPath: '/opt/electron/electron', isElectron: true });
    expect(candidates[0]).toBe('/opt/ss/icd.json');
    expect(candidates[1]).toBe('/opt/electron/vk_swiftshader_icd.json');
    expect(candidates[2]).toBe('/app/node_modules/electron/dist/vk_swiftshader_icd.json');
    if (process.platform === 'linux') expect(candidates).toContain('/usr/lib/chromium/vk_swiftshader_icd.json');
  });

  it('returns the first that exists, or null', () => {
    const options = { env: {}, cwd: '/app', isElectron: false };
    expect(findSwiftShaderIcd({ ...options, exists: (f) => f === '/app/node_modules/electron/dist/vk_swiftshader_icd.json' })).toBe('/app/node_modules/electron/dist/vk_swiftshader_icd.json');
    expect(findSwiftShaderIcd({ ...options, exists: () => false })).toBeNull();
  });

  it('builds the environment that points Vulkan at it', () => {
    expect(swiftShaderEnv('/x/icd.json', { XDG_RUNTIME_DIR: '/run/user/1' })).toEqual({ VK_ICD_FILENAMES: '/x/icd.json', XDG_RUNTIME_DIR: '/run/user/1' });
    expect(swiftShaderEnv('/x/icd.json', {}).XDG_RUNTIME_DIR).toBeTruthy();
  });
});
