/**
 * Loads the tfjs WebGPU backend on Dawn. 'webgpu' accepts only a hardware
 * adapter; 'webgpu-swiftshader' accepts only SwiftShader and is meant for
 * testing the WebGPU code path where no GPU exists. Which Vulkan driver Dawn
 * sees is fixed by VK_ICD_FILENAMES when Dawn starts, so the supervisor sets it
 * in the trainer's environment; a trainer started by hand with the variable
 * unset sets it itself, if Dawn has not started yet.
 */
import * as tf from '@tensorflow/tfjs';
import { classifyAdapter } from './adapterClass';
import { describeThrown, type BackendLoad } from './backendLoad';
import { dawnStarted, requestDefaultAdapter } from './dawnGpu';
import { findSwiftShaderIcd, swiftShaderEnv, swiftShaderIcdCandidates } from './swiftShaderIcd';
import { missingVulkanDriver } from './vulkanDrivers';

export type WebgpuKind = 'webgpu' | 'webgpu-swiftshader';

function pointVulkanAtSwiftShader(): string | null {
  if (process.env.VK_ICD_FILENAMES || dawnStarted()) return null;
  const icd = findSwiftShaderIcd();
  if (icd === null) return `no SwiftShader Vulkan driver found (looked for ${swiftShaderIcdCandidates().join(', ')}; set MACL_SWIFTSHADER_ICD)`;
  Object.assign(process.env, swiftShaderEnv(icd));
  return null;
}

export async function loadWebgpu(kind: WebgpuKind): Promise<BackendLoad> {
  const fail = (device: string, reason: string): BackendLoad => ({ ok: false, device, reason });
  if (kind === 'webgpu-swiftshader') {
    const problem = pointVulkanAtSwiftShader();
    if (problem !== null) return fail('SwiftShader', problem);
  }
  // Dawn with no Vulkan driver prints native warnings to stderr and finds nothing.
  const noVulkan = dawnStarted() ? null : missingVulkanDriver();
  if (noVulkan !== null) return fail('no adapter', noVulkan);
  let adapter;
  try {
    adapter = await requestDefaultAdapter();
  } catch (thrown) {
    return fail('WebGPU (Dawn)', `the webgpu package failed to load (${describeThrown(thrown)})`);
  }
  if (adapter === null) {
    const where = process.env.VK_ICD_FILENAMES ? ` with VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : '';
    return fail('no adapter', `no WebGPU adapter found${where} (no Vulkan, D3D12 or Metal driver offered a device)`);
  }
  const adapterClass = classifyAdapter(adapter.info ?? {}, adapter.isFallbackAdapter === true);
  if (kind === 'webgpu' && adapterClass.software) {
    return fail(adapterClass.name, `skipped: ${adapterClass.softwareReason}, slower than the CPU backend; force 'webgpu-swiftshader' to test WebGPU on it`);
  }
  if (kind === 'webgpu-swiftshader' && !adapterClass.swiftShader) {
    return fail(adapterClass.name, `the WebGPU adapter is ${adapterClass.name}, not SwiftShader (VK_ICD_FILENAMES must point at vk_swiftshader_icd.json before the trainer starts)`);
  }
  try {
    // Imported only now: it registers its backend at import time, and only if navigator.gpu exists.
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (thrown) {
    return fail(adapterClass.name, `@tensorflow/tfjs-backend-webgpu failed to load (${describeThrown(thrown)})`);
  }
  if (tf.findBackendFactory('webgpu') === null) return fail(adapterClass.name, 'tfjs-backend-webgpu registered no "webgpu" backend');
  return { ok: true, tfName: 'webgpu', device: adapterClass.name };
}
